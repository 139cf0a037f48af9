# cfuncc: --function true_div_ints
def true_div_ints(a: Signal[int], b: Signal[int]) -> Signal[float]:
    if b != 0:
        return a / b
