# cfuncc: --function fields
# datetime fields (year .. microsecond, weekday(), isoweekday()) and the
# normalised timedelta fields (days, seconds, microseconds), as properties
# in any position: on inputs, on expressions, in arithmetic and conditions.
from datetime import datetime, timedelta, timezone


def fields(t: Signal[datetime], d: Signal[timedelta]) -> Outputs(ymd=int, hms=int, us=int, wd=int, td=int, later=int):
    ymd = t.year * 10000 + t.month * 100 + t.day
    hms = t.hour * 10000 + t.minute * 100 + t.second
    wd = t.weekday() * 10 + t.isoweekday()
    td = d.days * 1000000 + d.seconds
    later = (t + d).year if (t + d).month > 6 else -(t + d).day
    return ymd, hms, t.microsecond + d.microseconds * 1000000, wd, td, later
