# cfuncc: --function topk
def topk(x: Signal[float]) -> Outputs(top1=float, top2=float, top3=float, median=float):
    xs: State[NumbaList] = create_new_list(float)
    xs.append(x)
    s = xs[:]
    s.sort()
    n = len(s)
    top2 = s[-2] if n >= 2 else 0.0
    top3 = s[-3] if n >= 3 else 0.0
    return s[-1], top2, top3, s[n // 2]
