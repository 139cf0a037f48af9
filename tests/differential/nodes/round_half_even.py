# cfuncc: --function round_half_even
def round_half_even(x: Signal[float]) -> Signal[int]:
    return round(x)
