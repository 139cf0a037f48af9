# cfuncc: --function node
import math

def node(x: Signal[float]) -> Signal[float]:
    return x * math.tauu
