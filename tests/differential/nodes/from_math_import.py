# cfuncc: --function from_math_import
from math import sqrt, floor, hypot

def from_math_import(x: Signal[float], y: Signal[float]) -> Outputs(norm=float, fl=int):
    n = sqrt(x * x + y * y)
    return n + hypot(x, y), floor(n)
