# cfuncc: --function sort_nan
import math


def sort_nan(x: Signal[float], k: Signal[int]) -> Outputs(n=int, h=int, first_nan=int):
    # With NaN, sort()'s result depends on CPython's exact algorithm; every
    # element's kind and position is folded into h (outputs cannot be NaN).
    xs: State[NumbaList] = create_new_list(float)
    for i in range(k):
        v = x + float(i * 7 % 13) * 0.5
        if i % 5 == 2:
            v = math.nan
        elif i % 11 == 3:
            v = -0.0
        elif i % 23 == 7:
            v = math.inf
        xs.append(v)
    s = xs[:]
    s.sort()
    h = 0
    first_nan = -1
    for i in range(len(s)):
        v = s[i]
        code = 0
        if math.isnan(v):
            code = 1
            if first_nan < 0:
                first_nan = i
        elif math.isinf(v):
            code = 4
        elif v == 0.0:
            code = 2 if math.copysign(1.0, v) < 0.0 else 3
        else:
            code = int(v * 2.0) * 8 + 6
        h = (h * 31 + code) % 1000000007
    return len(s), h, first_nan
