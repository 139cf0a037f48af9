def accumulate(x: Signal[int]) -> Signal[int]:
    total: State[int] = 100
    total = total + x
    return total
