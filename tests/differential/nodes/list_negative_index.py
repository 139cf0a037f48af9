# cfuncc: --function neg_index
def neg_index(x: Signal[int], i: Signal[int]) -> Outputs(last=int, first=int, at=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    xs[-1] = xs[-1] * 2
    at = xs[i % len(xs)] + xs[-(i % len(xs)) - 1] * 1000
    return xs[-1], xs[-len(xs)], at, len(xs)
