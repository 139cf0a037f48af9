from cfuncc import Signal


def two_errors(x: Signal[float]) -> Signal[float]:
    y = x.nope
    return undefined_name
