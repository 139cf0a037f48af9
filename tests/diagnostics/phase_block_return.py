# cfuncc: --function f
def f(x: Signal[int]) -> Signal[int]:
    n: State[int] = 0
    with start():
        n = 5
        if n > 1:
            return n
    with stop():
        n = x
    with open("f") as fh:
        n = 1
    return x + n
