# cfuncc: --function bool_elems
def bool_elems(flag: Signal[bool], x: Signal[int]) -> Outputs(trues=int, any_false=bool, last=bool, count=int, lo=bool, hi=bool):
    bs: State[NumbaList] = create_new_list(bool)
    bs.append(flag)
    bs.append(x > 0)
    count = 0
    for b in bs:
        if b:
            count += 1
    if len(bs) > 6:
        bs.pop(0)
    return sum(bs), False in bs, bs[-1], count, min(bs), max(bs)
