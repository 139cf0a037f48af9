# cfuncc: --function round_ndigits
def round_ndigits(x: Signal[float]) -> Outputs(r1=float, r2=float, r0=float):
    return round(x, 1), round(x, 2), round(x, 0)
