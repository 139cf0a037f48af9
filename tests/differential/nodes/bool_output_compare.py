# cfuncc: --function bool_output_compare
def bool_output_compare(x: Signal[float], lo: float = -1.0, hi: float = 1.0) -> Signal[bool]:
    return lo <= x <= hi
