# cfuncc: --function early_return
def early_return(x: Signal[int], limit: Signal[int]) -> Outputs(found=int, where=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    idx: State[NumbaDict] = create_new_dict(int, int)
    xs.append(x)
    idx[x] = len(xs) - 1
    tmp = create_new_list(int)
    for v in xs:
        tmp.append(v)
        if v > limit:
            return v, len(tmp), len(xs)
    for k, i in idx.items():
        if k == limit:
            return k, i, -1
    else:
        tmp.append(0)
    return -1, len(tmp), len(idx)
