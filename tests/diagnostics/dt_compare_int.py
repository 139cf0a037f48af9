# cfuncc: --function node
from datetime import datetime


def node(t: Signal[datetime]) -> Signal[bool]:
    return t > 0
