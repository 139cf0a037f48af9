# cfuncc: --function loop_accumulate_state --const n=4
def loop_accumulate_state(x: Signal[int], n: int) -> Signal[int]:
    hist: State[int] = 0
    for i in range(n - 1, -1, -1):
        hist = (hist * 7 + x + i) % 1000003
    if hist % 2 == 0:
        return hist
    return -hist
