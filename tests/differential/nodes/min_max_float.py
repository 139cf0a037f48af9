# cfuncc: --function min_max_float
def min_max_float(x: Signal[float], y: Signal[float]) -> Signal[float]:
    lo = min(x, y)
    hi = max(x, y, 0.0)
    return abs(lo) * 10.0 + hi
