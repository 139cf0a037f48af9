# cfuncc: --function stamp_age --datetime-as-int
# The seed's convention (--datetime-as-int): datetime and timedelta are plain
# int64 nanoseconds, with integer arithmetic and zero for "no stamp yet".
def stamp_age(t: Signal[datetime], gap: Signal[timedelta]) -> Outputs(due=datetime, age=timedelta, ms=int):
    last: State[datetime] = 0
    age: timedelta = 0
    if last != 0:
        age = t - last
    last = t
    return t + gap + 1_000_000_000, age, age // 1_000_000
