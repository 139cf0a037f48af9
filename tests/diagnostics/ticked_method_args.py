# cfuncc: --function f
def f(x: Signal[int], y: Signal[int]) -> Signal[int]:
    if x.ticked(y):
        return x
    return y
