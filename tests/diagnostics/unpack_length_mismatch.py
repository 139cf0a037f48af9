# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    a, b = x, x, x
    return a
