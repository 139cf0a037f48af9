# cfuncc: --function int_truncation
def int_truncation(x: Signal[float]) -> Signal[int]:
    a = int(x)
    b = int(-x)
    return a * 100 + b
