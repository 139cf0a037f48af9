# cfuncc: --function arith --const 'open_at=datetime(2024, 3, 10, 9, 30, tzinfo=timezone.utc)'
# timedelta and datetime arithmetic, comparisons, min/max/abs, truthiness.
import datetime as dt
from datetime import datetime, timedelta, timezone

STEP = timedelta(milliseconds=250)


def arith(t: Signal[datetime], d: Signal[timedelta], k: Signal[int], open_at: datetime,
          window: timedelta = timedelta(seconds=30)) -> Outputs(a=timedelta, b=int, c=timedelta, e=datetime, f=bool, g=float, h=timedelta):
    since = t - open_at
    a = abs(d) * 3 + k * STEP - d * k
    b = since // window if window else -1
    c = since % window + (-d)
    e = max(t, open_at + d, dt.datetime(2024, 3, 10, 12, 0, tzinfo=dt.timezone.utc)) - min(STEP, d)
    f = bool(d) and open_at <= t < open_at + timedelta(hours=6, minutes=30) or d == timedelta(0)
    g = d / STEP + since / timedelta(minutes=1)
    h = d if d > STEP else (STEP if k > 0 else -STEP)
    if not d:
        h = h + timedelta(days=1, weeks=1, microseconds=7)
    return a, b, c, e, f, g, h
