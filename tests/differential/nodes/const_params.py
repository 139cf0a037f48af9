# cfuncc: --function const_params --const k=4 --const flip=True
def const_params(x: Signal[float], k: int, flip: bool, gain: float = 2.5, bias: int = -1) -> Signal[float]:
    y = x * gain + bias
    for _ in range(k):
        y = y / 2.0 + 1.0
    if flip:
        y = -y
    return y
