# cfuncc: --function node
# Module-level helpers are inlined: defaults and keywords, an int and a
# float call site of one helper, a helper that changes a list it is given
# (@numba_method, the seed's decorator), helpers calling helpers.
from numba_cfunc_compiler.api import numba_method

SCALE = 3


def clamp(v, lo=0, hi=100):
    if v < lo:
        return lo
    if v > hi:
        return hi
    return v


@numba_method
def push(xs, v, cap):
    xs.append(v)
    while len(xs) > cap:
        xs.pop(0)


def mean(xs):
    t = 0.0
    for v in xs:
        t += v
    return t / len(xs)


def scaled(v):
    return clamp(v * SCALE, hi=50) + 0.5


def node(x: Signal[int]) -> Signal[float]:
    w: State[NumbaList] = create_new_list(float)
    push(w, scaled(x), 3)
    a = clamp(x)
    b = clamp(x * 1.5, hi=10.0)
    return mean(w) + a + b
