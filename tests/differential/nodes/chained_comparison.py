# cfuncc: --function chained_comparison
def chained_comparison(a: Signal[int], b: Signal[int], c: Signal[float]) -> Signal[int]:
    r = 0
    if a < b < c:
        r += 1
    if 0 <= a < 10:
        r += 10
    if a <= b != c:
        r += 100
    if a == b == c:
        r += 1000
    if not (-5 < c <= 5.0):
        r += 10000
    return r
