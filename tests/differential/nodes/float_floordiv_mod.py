# cfuncc: --function float_floordiv_mod
def float_floordiv_mod(a: Signal[float], b: Signal[float]) -> Outputs(q=float, r=float):
    if b == 0.0:
        return None, None
    return a // b, a % b
