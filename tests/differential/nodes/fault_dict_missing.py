# cfuncc: --function dict_missing
def dict_missing(k: Signal[int], mode: Signal[int]) -> Outputs(v=float, n=int):
    d: State[NumbaDict] = create_new_dict(int, float)
    d[k * 2] = k * 0.5
    v = 0.0
    if mode == 0:
        v = d[k]
    elif mode == 1:
        v = d.pop(k)
    elif mode == 2:
        del d[k]
    else:
        d[k] += 1.5
        v = d[k]
    return v, len(d)
