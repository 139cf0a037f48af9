# cfuncc: --function node
from datetime import datetime, timedelta


def node(t: Signal[datetime], n: Signal[int]) -> Signal[datetime]:
    return t + timedelta(seconds=n)
