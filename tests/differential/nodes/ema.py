# cfuncc: --function ema --const alpha=0.5
def ema(x: Signal[float], alpha: float, k: int = 3) -> Signal[float]:
    s: State[float] = 0.0
    s = alpha * x + (1.0 - alpha) * s
    return s
