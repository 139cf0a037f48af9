# cfuncc: --function node
def node(x: Signal[float]) -> Signal[int]:
    a: State[int] = 0
    b: State[int] = 0
    a, b = 1, x
    return a
