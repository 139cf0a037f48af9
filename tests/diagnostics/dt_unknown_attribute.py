# cfuncc: --function node
from datetime import datetime


def node(t: Signal[datetime]) -> Signal[int]:
    return t.nanosecond
