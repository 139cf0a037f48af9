# cfuncc: --function compare_mixed
def compare_mixed(i: Signal[int], f: Signal[float]) -> Signal[int]:
    r = 0
    if i == f:
        r |= 1
    if i < f:
        r |= 2
    if i >= f:
        r |= 4
    if i != f:
        r |= 8
    return r
