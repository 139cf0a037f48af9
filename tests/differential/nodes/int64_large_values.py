# cfuncc: --function int64_large_values
def int64_large_values(x: Signal[int], y: Signal[int]) -> Outputs(sum=int, q=int, r=int, neg=int):
    return x + y, x // 3, x % 1000003, -(x - y)
