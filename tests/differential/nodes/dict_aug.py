# cfuncc: --function dict_aug
def dict_aug(k: Signal[int], x: Signal[int]) -> Outputs(v=int, total=int, n=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    if k < 0:
        d[-k] = 0
    else:
        d[k] += x
        d[k] *= 2
        d[k] -= 1
    total = 0
    for key in d:
        total += d[key]
    return d.get(abs(k), 0), total, len(d)
