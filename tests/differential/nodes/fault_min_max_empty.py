# cfuncc: --function min_max_empty
def min_max_empty(x: Signal[float], keep: Signal[bool], which: Signal[int]) -> Outputs(lo=float, hi=float, n=int):
    xs: State[NumbaList] = create_new_list(float)
    if keep:
        xs.append(x)
    else:
        xs.clear()
    lo = 0.0
    hi = 0.0
    if which == 0:
        lo = min(xs)
    elif which == 1:
        hi = max(xs)
    else:
        ks = create_new_list(int)
        lo = min(ks) + 0.5
    return lo, hi, len(xs)
