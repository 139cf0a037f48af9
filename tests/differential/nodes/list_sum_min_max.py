# cfuncc: --function sum_min_max
def sum_min_max(x: Signal[float], k: Signal[int]) -> Outputs(s=float, lo=float, hi=float, si=int, loi=int, hii=int):
    xs: State[NumbaList] = create_new_list(float)
    ks: State[NumbaList] = create_new_list(int)
    xs.append(x)
    ks.append(k)
    return sum(xs), min(xs), max(xs), sum(ks), min(ks), max(ks)
