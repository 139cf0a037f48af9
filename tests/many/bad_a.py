def f(x: Signal[int]) -> Signal[int]:
    return x @ 2
