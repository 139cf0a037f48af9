# cfuncc: --function sort_ints
def sort_ints(x: Signal[int], b: Signal[bool]) -> Outputs(lo=int, hi=int, code=int, bfirst=bool, blast=bool):
    xs: State[NumbaList] = create_new_list(int)
    bs: State[NumbaList] = create_new_list(bool)
    xs.append(x)
    bs.append(b)
    xs.sort()
    bs.sort()
    code = 0
    for v in xs[0:4]:
        code = code * 100 + (v % 100)
    return xs[0], xs[-1], code, bs[0], bs[-1]
