# cfuncc: --function early_returns
def early_returns(x: Signal[int]) -> Signal[int]:
    if x < 0:
        return -1
    for i in range(x):
        if i * i > 50:
            return i
        if i == 5 and x % 2 == 0:
            return 55
    if x == 3:
        return
    return 0
