# cfuncc: --function reinsert_order
def reinsert_order(k: Signal[int], op: Signal[int]) -> Outputs(order=int, vals=int, n=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    if op == 0:
        d[k] = k * 10
    elif op == 1:
        if k in d:
            del d[k]
    else:
        d.pop(k, 0)
        d[k] = -k
    order = 0
    for key in d:
        order = order * 10 + key
    vals = 0
    for v in d.values():
        vals = vals * 3 + v
    return order, vals, len(d)
