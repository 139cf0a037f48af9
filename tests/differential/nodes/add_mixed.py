# cfuncc: --function add_mixed
def add_mixed(a: Signal[int], b: Signal[float]) -> Signal[float]:
    c = a + b
    d = a * 2 - b
    return c * d
