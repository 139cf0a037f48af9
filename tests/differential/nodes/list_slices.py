# cfuncc: --function slices
def slices(x: Signal[int], a: Signal[int], b: Signal[int]) -> Outputs(s1=int, s2=int, s3=int, n1=int, n2=int, first=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    mid = xs[a:b]
    rev = xs[::-1]
    evens = xs[::2]
    tail = xs[-3:len(xs)]
    back = xs[b:a:-2]
    s1 = sum(mid)
    s2 = 0
    for v in back:
        s2 = s2 * 10 + v
    first = rev[0] if rev else -1
    return s1, s2, sum(evens) + sum(tail) * 100, len(mid), len(xs[1:-1]), first
