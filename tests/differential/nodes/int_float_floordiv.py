# cfuncc: --function int_float_floordiv
def int_float_floordiv(a: Signal[int], b: Signal[float]) -> Outputs(q=float, r=float, t=float):
    if b == 0.0:
        return None
    return a // b, a % b, a / b
