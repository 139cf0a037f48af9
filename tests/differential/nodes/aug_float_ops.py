# cfuncc: --function aug_float_ops
def aug_float_ops(x: Signal[float], y: Signal[float]) -> Signal[float]:
    a = x
    a += y
    a -= 0.25
    a *= 1.5
    a /= 2.0
    a //= 0.5
    a %= 3.0
    a **= 2
    return a
