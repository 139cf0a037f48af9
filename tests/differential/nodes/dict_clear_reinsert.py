# cfuncc: --function clear_reinsert
def clear_reinsert(k: Signal[int]) -> Outputs(order=int, n=int, first=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    if k == 0:
        d.clear()
    else:
        d[k] = k
    order = 0
    first = -1
    for key in d.keys():
        if first == -1:
            first = key
        order = order * 10 + key
    return order, len(d), first
