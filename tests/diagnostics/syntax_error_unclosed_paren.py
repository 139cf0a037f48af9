# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    y = (x + 1
    return y
