# cfuncc: --function tuple_unpacking
def tuple_unpacking(n: Signal[int]) -> Outputs(fib=int, q=int, r=int):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    q, r = n // 3, n % 3
    q, r = r, q
    return a, q, r
