# cfuncc: --function mm
# min/max of float lists holding NaN: CPython keeps the first value and
# replaces it only on strict order, so the NaN's position decides.
import math


def mm(x: Signal[float], k: Signal[int]) -> Outputs(lo=float, hi=float, first_nan=bool):
    xs = create_new_list(float)
    for i in range(5):
        xs.append(math.nan if i == k else x * (i - 2))
    lo = min(xs)
    hi = max(xs)
    return (lo if lo == lo else -1000.0), (hi if hi == hi else 1000.0), not (min(xs) == min(xs))
