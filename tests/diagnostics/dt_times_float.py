# cfuncc: --function node
from datetime import timedelta


def node(d: Signal[timedelta]) -> Signal[timedelta]:
    return d * 1.5
