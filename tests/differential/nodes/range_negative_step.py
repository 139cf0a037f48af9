# cfuncc: --function range_negative_step
def range_negative_step(n: Signal[int]) -> Outputs(down=int, odd=int, empty=int):
    down = 0
    for i in range(n, 0, -1):
        down = down * 3 + i
    odd = 0
    for j in range(10, -10, -3):
        odd += j * n
    empty = 0
    for k in range(0, n, -1):
        empty += 1
    return down, odd, empty
