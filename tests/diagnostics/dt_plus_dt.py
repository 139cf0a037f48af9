# cfuncc: --function node
from datetime import datetime


def node(t: Signal[datetime], u: Signal[datetime]) -> Signal[datetime]:
    return t + u
