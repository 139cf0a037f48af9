@extern
def scale(x: float) -> float: ...


def ffi_scaled(x: Signal[float]) -> Signal[float]:
    return scale(x) - x
