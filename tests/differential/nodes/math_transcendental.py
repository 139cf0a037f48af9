# cfuncc: --function math_transcendental
import math

def math_transcendental(x: Signal[float]) -> Signal[float]:
    a = math.sqrt(abs(x)) + math.exp(x / 10.0)
    b = math.sin(x) * math.cos(x) + math.tan(x / 4.0)
    c = math.log(abs(x) + 1.0) + math.log10(abs(x) + 1.0)
    d = math.atan2(x, 2.0) + math.fabs(x) + math.pow(2.0, x / 8.0)
    return a + b + c + d
