# cfuncc: --function truth
# Truthiness: a datetime is always true (the epoch, 0 ns, included; CPython's
# datetime has no __bool__), a timedelta is false when zero (its __bool__);
# unary + and abs on timedeltas.
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def truth(t: Signal[datetime], d: Signal[timedelta]) -> Outputs(a=bool, b=bool, c=int, e=timedelta, f=bool):
    a = bool(t)
    b = not t
    c = 1 if t and d else (2 if t else 3)
    e = +d if d else abs(-d) + timedelta(seconds=1)
    f = bool(EPOCH) and (bool(d) or not d) and not (t - t)
    return a, b, c, e, f
