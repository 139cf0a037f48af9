# cfuncc: --function compare_exact
import math


def compare_exact(
    x: Signal[int], k: Signal[int], ninf: float = -1e999
) -> Outputs(fwd=int, rev=int, chain=bool):
    # int vs float compares exactly, as CPython does: 2**62 + 2 != 2.0**62
    # though the int rounds to that double.
    y = 0.0
    if k == 0:
        y = 4611686018427387904.0  # 2.0**62
    elif k == 1:
        y = 9007199254740992.0  # 2.0**53
    elif k == 2:
        y = -9223372036854775808.0  # -2.0**63
    elif k == 3:
        y = 9223372036854775808.0  # 2.0**63
    elif k == 4:
        y = math.inf
    elif k == 5:
        y = ninf
    elif k == 6:
        y = math.nan
    elif k == 7:
        y = -0.0
    elif k == 8:
        y = 2.5
    else:
        y = -2.5
    fwd = (
        int(x == y)
        + 2 * int(x != y)
        + 4 * int(x < y)
        + 8 * int(x <= y)
        + 16 * int(x > y)
        + 32 * int(x >= y)
    )
    rev = (
        int(y == x)
        + 2 * int(y != x)
        + 4 * int(y < x)
        + 8 * int(y <= x)
        + 16 * int(y > x)
        + 32 * int(y >= x)
    )
    return fwd, rev, k < y <= x
