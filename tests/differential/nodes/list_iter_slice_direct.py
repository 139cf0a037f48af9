# cfuncc: --function iter_slice
def iter_slice(x: Signal[float], step: Signal[int]) -> Outputs(a=float, b=float, c=int, d=float):
    xs: State[NumbaList] = create_new_list(float)
    xs.append(x)
    a = 0.0
    for v in xs[::-1]:
        a = a * 0.5 + v
    b = sum(xs[0:len(xs):step])
    c = len(xs[-2:len(xs)])
    d = max(xs[0:3]) - min(xs[len(xs) - 3:len(xs)])
    return a, b, c, d
