# cfuncc: --function mutate_break
def mutate_break(k: Signal[int], mode: Signal[int]) -> Outputs(n=int, s=int, after=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    d[k] = k
    s = 0
    for key in d:
        s += key
        if mode == 1 and key == k:
            d[key + 50] = 1
            break
        if mode == 2 and key != k:
            del d[key]
            break
        if mode == 3:
            d.pop(key + 1000, 0)
    after = 0
    for key, v in d.items():
        after += v
    if mode == 4:
        for key in d:
            d.clear()
    return len(d), s, after
