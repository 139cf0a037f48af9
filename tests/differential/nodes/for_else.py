# cfuncc: --function for_else
def for_else(n: Signal[int]) -> Signal[int]:
    if n < 2:
        return 0
    for d in range(2, n):
        if d * d > n:
            break
        if n % d == 0:
            return d
    else:
        return -n
    return n
