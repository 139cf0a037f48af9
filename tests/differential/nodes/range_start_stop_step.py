# cfuncc: --function range_start_stop_step
def range_start_stop_step(a: Signal[int], b: Signal[int]) -> Signal[int]:
    s = 0
    for i in range(a, b):
        s += i
    for i in range(a, b, 3):
        s += 100 * i
    for i in range(b, a, -2):
        s -= i
    return s
