# cfuncc: --function special_keys
def special_keys(k: Signal[int], v: Signal[float], clear: Signal[bool]) -> Outputs(n=int, total=float, order=float, has_neg=bool, at=float):
    d: State[NumbaDict] = create_new_dict(int, float)
    if clear:
        d.clear()
    d[k] = v
    total = 0.0
    order = 0.0
    for key, val in d.items():
        total += val
        order = order * 0.5 + key
    return len(d), total, order, -1 in d, d.get(-1, -99.0)
