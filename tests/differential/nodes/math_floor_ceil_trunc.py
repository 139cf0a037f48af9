# cfuncc: --function math_floor_ceil_trunc
import math

def math_floor_ceil_trunc(x: Signal[float]) -> Outputs(floor=int, ceil=int, trunc=int):
    return math.floor(x), math.ceil(x), math.trunc(x)
