# cfuncc: --function ternary
def ternary(x: Signal[int], y: Signal[float]) -> Signal[float]:
    a = x if x > 0 else -x
    b = y * 2.0 if a % 2 == 0 else y / 2.0
    c = 1.0 if b > 1.0 else (-1.0 if b < -1.0 else 0.0)
    return a + b + c
