# cfuncc: --function float_pow
def float_pow(x: Signal[float], n: Signal[int]) -> Signal[float]:
    a = abs(x) ** 0.5
    b = x ** n
    c = 2.0 ** -n
    return a + b + c
