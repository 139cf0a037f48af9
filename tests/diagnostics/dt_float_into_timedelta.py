# cfuncc: --function node
from datetime import timedelta


def node(x: Signal[float]) -> Signal[timedelta]:
    d: State[timedelta] = timedelta(0)
    d = x
    return d
