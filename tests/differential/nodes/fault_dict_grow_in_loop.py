# cfuncc: --function grow_in_loop
def grow_in_loop(k: Signal[int], grow: Signal[bool]) -> Outputs(n=int, s=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    d[k] = 1
    s = 0
    for key in d:
        s += key
        if grow and key == k:
            d[key + 1000] = 2
    return len(d), s
