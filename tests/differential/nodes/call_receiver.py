# cfuncc: --function call_receiver
# Found by the differential fuzzer: a method of a call's result (or of an
# item) was rejected; it is a value like any other.
from datetime import datetime, timedelta, timezone


def call_receiver(d: Signal[timedelta], t: Signal[datetime], u: Signal[datetime]) -> Signal[float]:
    xs = create_new_list(timedelta)
    xs.append(d)
    return (abs(d).total_seconds() + max(t, u).weekday() + min(t, u).isoweekday()
            + xs[0].total_seconds() + datetime(2024, 1, 2, tzinfo=timezone.utc).timestamp())
