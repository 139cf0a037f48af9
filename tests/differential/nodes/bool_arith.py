# cfuncc: --function bool_arith
def bool_arith(p: Signal[bool], q: Signal[bool], x: Signal[int]) -> Signal[int]:
    a = p + q
    b = x * p
    c = (p and q) + 10 * (p or q)
    return a * 100 + b * 10 + c
