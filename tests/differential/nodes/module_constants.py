# cfuncc: --function module_constants
N = 10
SCALE = 0.5
OFFSET = -3
ENABLED = True

def module_constants(x: Signal[int]) -> Signal[float]:
    s = 0
    for i in range(N):
        s += x + i
    if ENABLED:
        return s * SCALE + OFFSET
