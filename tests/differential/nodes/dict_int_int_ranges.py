# cfuncc: --function buckets --const width=10
def buckets(x: Signal[int], width: int) -> Outputs(bucket=int, count=int, nb=int, lo=int, hi=int):
    hist: State[NumbaDict[int, int]] = create_new_dict(int, int)
    b = x // width
    if b in hist:
        hist[b] += 1
    else:
        hist[b] = 1
    keys = create_new_list(int)
    for k in hist:
        keys.append(k)
    keys.sort()
    return b, hist[b], len(keys), keys[0], keys[-1]
