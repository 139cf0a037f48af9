# cfuncc: --function math_constants
import math

def math_constants(r: Signal[float]) -> Signal[float]:
    return math.pi * r * r + math.e - math.tau / 2.0
