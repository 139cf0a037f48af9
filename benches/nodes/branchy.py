import math

def branchy(x: Signal[float], n: Signal[int], lo: float, hi: float) -> Signal[float]:
    count: State[int] = 0
    mean: State[float] = 0.0
    peak: State[float] = 0.0
    regime: State[int] = 0
    count += 1
    delta = x - mean
    mean += delta / count
    if x > peak:
        peak = x
    if regime == 0 and x > hi:
        regime = 1
    elif regime == 1 and x < lo:
        regime = -1
    elif regime == -1 and x > lo:
        regime = 0
    acc = 0.0
    for i in range(n % 16):
        if i % 3 == 0:
            continue
        term = math.sin(x * i) + math.sqrt(abs(x) + i)
        if term > 10.0:
            break
        acc += term
    k = abs(n)
    steps = 0
    while k > 1 and steps < 64:
        k = k // 2 if k % 2 == 0 else 3 * k + 1
        steps += 1
    scale = math.exp(-abs(delta)) if count > 1 else 1.0
    return mean + acc * scale + regime * math.log(peak - mean + 1.0) + steps
