# cfuncc: --function imports_dropped
import math
from cfuncc import Signal, State

def helper(v: float) -> float:
    return v * 2.0

def imports_dropped(x: Signal[float]) -> Signal[float]:
    last: State[float] = 0.0
    d = x - last
    last = x
    return math.copysign(d, x)
