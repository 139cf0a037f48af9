# cfuncc: --function f
from math import pi, sqrt

def f(x: Signal[float]) -> Signal[float]:
    return x * pi + sqrt
