# cfuncc: --function secs
# timedelta.total_seconds() and datetime.timestamp(), also on expressions.
from datetime import datetime, timedelta, timezone


def secs(t: Signal[datetime], d: Signal[timedelta]) -> Outputs(a=float, b=float, c=float):
    a = d.total_seconds()
    b = t.timestamp()
    c = (t - datetime(2024, 1, 1, tzinfo=timezone.utc) + d * 2).total_seconds() if d else -1.0
    return a, b, c
