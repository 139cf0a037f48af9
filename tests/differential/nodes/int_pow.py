# cfuncc: --function int_pow
def int_pow(x: Signal[int], n: Signal[int]) -> Signal[int]:
    if n < 0 or n > 10:
        return None
    return x ** n + 2 ** n - (-x) ** 3
