# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    y = x +
    return y
