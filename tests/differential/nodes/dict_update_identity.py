# cfuncc: --function dict_update_identity
def dict_update_identity(k: Signal[int], mode: Signal[int]) -> Outputs(v=int, w=float, n=int, m=int):
    # Each update stores back the value it read (dict_set(d, k, dict_get(d, k))
    # once the identity arithmetic folds away); the missing-key ticks fault.
    d: State[NumbaDict] = create_new_dict(int, int)
    e: State[NumbaDict] = create_new_dict(int, float)
    if mode == 0:
        d[k] = d.get(k, 0)
        e[k] = e.get(k, 0.0)
    elif mode == 1:
        d[k] += 0
    elif mode == 2:
        d[k] *= 1
    elif mode == 3:
        d[k] |= 0
    elif mode == 4:
        d[k] = d[k] + 0
    elif mode == 5:
        e[k] *= 1.0
    else:
        d[k] = k * 3
        e[k] = k * 1.5
    return d.get(k, -1), e.get(k, -1.0), len(d), len(e)
