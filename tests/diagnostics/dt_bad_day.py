# cfuncc: --function node
from datetime import datetime, timezone


def node(t: Signal[datetime]) -> Signal[bool]:
    return t < datetime(2023, 2, 29, tzinfo=timezone.utc)
