# cfuncc: --function with_helpers
# Arrays passed to helper functions by reference: a helper fills and
# reads them, and the caller sees the change (as in Python).
def push(buf, n, x):
    buf[n % len(buf)] = x
    return n + 1


def total(buf):
    t = 0.0
    for v in buf:
        t += v
    return t


def with_helpers(x: Signal[float], w: NumbaArray[float, 2] = (2.0, 0.5)) -> Signal[float]:
    buf: State[NumbaArray] = create_new_array(float, 3)
    n: State[int] = 0
    n = push(buf, n, x)
    tmp = create_new_array(float, 2)
    push(tmp, 1, x * 2)
    return total(buf) * w[0] + total(tmp) * w[1] + total(w)
