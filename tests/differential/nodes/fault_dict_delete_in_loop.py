# cfuncc: --function delete_in_loop
def delete_in_loop(k: Signal[int], v: Signal[int], cut: Signal[int]) -> Outputs(n=int, s=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    d[k] = v
    s = 0
    for key, val in d.items():
        s += val
        if val == cut:
            del d[key]
    for val in d.values():
        if val == cut + 1:
            d.pop(val, 0)
            d.pop(k)
            break
    return len(d), s
