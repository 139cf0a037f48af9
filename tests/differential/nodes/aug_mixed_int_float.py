# cfuncc: --function aug_mixed_int_float
def aug_mixed_int_float(n: Signal[int], f: Signal[float]) -> Signal[float]:
    t = 0.0
    t += n
    t *= n
    t -= f
    t /= 4
    return t
