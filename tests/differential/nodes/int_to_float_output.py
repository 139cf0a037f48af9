# cfuncc: --function int_to_float_output
def int_to_float_output(x: Signal[int]) -> Signal[float]:
    return x * 3 // 2
