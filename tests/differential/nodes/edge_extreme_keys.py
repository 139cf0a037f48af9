# cfuncc: --function extreme_keys
def extreme_keys(k: Signal[int], op: Signal[int]) -> Outputs(n=int, has=bool, order=int, cnt=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    if op == 0:
        d[k] = d.get(k, 0) + 1
    elif op == 1:
        d.pop(k, 0)
    else:
        d.clear()
    order = 0
    for key, v in d.items():
        order = (order * 7 + key % 1000 + v) % 1000000007
    return len(d), k in d, order, d.get(k, -5)
