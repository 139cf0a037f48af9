# cfuncc: --function gcd_while
def gcd_while(a: Signal[int], b: Signal[int]) -> Signal[int]:
    a = abs(a)
    b = abs(b)
    while b:
        a, b = b, a % b
    return a
