# cfuncc: --function state_declared_mid_body
def state_declared_mid_body(x: Signal[float]) -> Outputs(mean=float, peak=float, n=int):
    scaled = x * 2.0
    n: State[int] = 0
    total: State[float] = 0.0
    n += 1
    total += scaled
    peak: State[float] = -1000.0
    if scaled > peak:
        peak = scaled
    return total / n, peak, n
