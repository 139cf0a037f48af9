# cfuncc: --function node
from datetime import datetime, timezone


def node(t: Signal[datetime]) -> Signal[bool]:
    return t < datetime(2300, 1, 1, tzinfo=timezone.utc)
