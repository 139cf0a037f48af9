# cfuncc: --function float_mixing
def float_mixing(n: Signal[int], f: Signal[float]) -> Outputs(s=float, has_int=bool, idx=int, half=float):
    xs: State[NumbaList] = create_new_list(float)
    xs.append(n)
    xs.append(f)
    if len(xs) > 8:
        xs.pop(0)
        xs.pop(0)
    idx = -1
    for i in range(len(xs)):
        if xs[i] == 2.0:
            idx = i
    xs[0] = n
    return sum(xs), 2 in xs, idx, xs[0] / 2
