# cfuncc: --function node
import math

def node(x: Signal[float]) -> Signal[float]:
    return math.frobnicate(x)
