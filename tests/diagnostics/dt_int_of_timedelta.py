# cfuncc: --function node
from datetime import timedelta


def node(d: Signal[timedelta]) -> Signal[int]:
    return int(d)
