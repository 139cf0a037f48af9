# cfuncc: --function state_welford
def state_welford(x: Signal[float]) -> Outputs(mean=float, var=float):
    n: State[int] = 0
    mean: State[float] = 0.0
    m2: State[float] = 0.0
    n += 1
    delta = x - mean
    mean += delta / n
    m2 += delta * (x - mean)
    if n < 2:
        return mean, None
    return mean, m2 / (n - 1)
