# cfuncc: --function f
from datetime import timedelta


def f(d: Signal[timedelta]) -> Signal[int]:
    return d.hours
