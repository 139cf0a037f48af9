# cfuncc: --function reduce_arrays
# sum, min and max of int, float and bool arrays, as CPython's: sum left to
# right from 0, min/max keep the first of equal values and replace on a
# strict comparison, so a NaN after the first element is skipped (a NaN
# result is no value CPython's oracle compares); the sum of a bool array is
# an int.
import math


def reduce_arrays(x: Signal[float], i: Signal[int]) -> Outputs(total=float, lo=float, hi=float, probe=float, ints=int, bools=int, any_true=bool):
    fs: State[NumbaArray] = create_new_array(float, 4)
    ns: State[NumbaArray] = create_new_array(int, 3)
    bs: State[NumbaArray] = create_new_array(bool, 5)
    fs[i % 4] = x
    ns[i % 3] -= i
    bs[i % 5] = x > 0
    probe = create_new_array(float, 3)
    probe[0] = x
    probe[1] = math.nan if i % 2 == 0 else 1.0
    probe[2] = -x
    return (sum(fs), min(fs), max(fs), min(probe) * 10 + max(probe),
            sum(ns) * 1000 + min(ns) * 10 + max(ns), sum(bs), max(bs))
