# cfuncc: --function node
from datetime import datetime


def node(t: Signal[datetime]) -> Signal[datetime]:
    last: State[datetime] = datetime(2024, 1, 1, 9, 30)
    last = t
    return last
