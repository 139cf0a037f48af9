# cfuncc: --function abs_round_mixed
def abs_round_mixed(x: Signal[float], n: Signal[int]) -> Outputs(a=float, b=int, c=float):
    a = abs(x) + abs(n)
    b = round(x * n)
    # CPython's min/max return the int or float argument itself; compiled, c is a float.
    c = max(x, n) - min(x, n, 0)
    return a, b, c
