# cfuncc: --function state_int_counter --const period=3
def state_int_counter(x: Signal[int], period: int) -> Signal[int]:
    count: State[int] = 0
    total: State[int] = 0
    count += 1
    total += x
    if count >= period:
        out = total
        count = 0
        total = 0
        return out
