# cfuncc: --function min_max_abs
def min_max_abs(a: Signal[int], b: Signal[int], c: Signal[int]) -> Outputs(lo=int, hi=int, span=int, mag=int):
    lo = min(a, b, c)
    hi = max(a, b, c)
    return lo, hi, abs(hi - lo), max(abs(a), abs(b)) - min(abs(b), abs(c))
