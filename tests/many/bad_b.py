def g(x: Signal[int]) -> Signal[int]:
    y = undefined_name
    return y
