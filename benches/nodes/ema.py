def ema(x: Signal[float], alpha: float) -> Signal[float]:
    s: State[float] = 0.0
    s = alpha * x + (1.0 - alpha) * s
    return s
