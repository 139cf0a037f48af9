# cfuncc: --function node
from datetime import datetime


def node(t: Signal[datetime]) -> Signal[bool]:
    return t > datetime(2024, 1, 1)
