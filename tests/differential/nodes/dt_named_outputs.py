# cfuncc: --function age
from datetime import datetime, timedelta, timezone

EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)

def age(t: Signal[datetime], d: Signal[timedelta], limit: timedelta = timedelta(minutes=5)) -> Outputs(since=timedelta, late=bool, mid=datetime, ratio=float, n=int):
    last: State[datetime] = datetime(2024, 1, 1, tzinfo=timezone.utc)
    gap = t - last
    last = t
    mid = t + d // 2
    return gap, gap > limit, mid, gap / timedelta(seconds=1), (t - EPOCH) // timedelta(hours=1)
