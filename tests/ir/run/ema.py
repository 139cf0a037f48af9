# cfuncc: --function ema --const alpha=0.25
# The seed's exponential moving average: state carries across ticks and a
# STOP/START pair resets it.
# run: [1.0] -> [0.25]
# run: [2.0] -> [0.6875]
# run: [4.0] -> [1.515625]
# run: {"phase": "stop"}
# run: {"phase": "start"}
# run: [8.0] -> [2.0]
def ema(x: Signal[float], alpha: float) -> Signal[float]:
    s: State[float] = 0.0
    s = alpha * x + (1.0 - alpha) * s
    return s
