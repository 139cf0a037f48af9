# cfuncc: --function node
def node(x: Signal[int]) -> Signal[bool]:
    y = x + 1
    return ticked(y)
