# cfuncc: --function rate
# Events in the last `span`: a list of datetimes as a time window, a dict of
# per-bucket timedeltas, and datetime state.
from datetime import datetime, timedelta, timezone


def rate(t: Signal[datetime], span: timedelta = timedelta(seconds=10)) -> Outputs(n=int, oldest=datetime, busy=timedelta):
    times: State[NumbaList[datetime]] = create_new_list(datetime)
    spent: State[NumbaDict[int, timedelta]] = create_new_dict(int, timedelta)
    last: State[datetime] = datetime(2000, 1, 1, tzinfo=timezone.utc)
    times.append(t)
    while len(times) > 0 and t - times[0] > span:
        times.pop(0)
    bucket = (t - datetime(2024, 1, 1, tzinfo=timezone.utc)) // timedelta(seconds=5)
    gap = t - last if last < t else timedelta(0)
    spent[bucket] = spent.get(bucket, timedelta(0)) + gap
    last = t
    total = timedelta(0)
    for b in spent:
        if b >= bucket - 1:
            total += spent[b]
    return len(times), times[0], total
