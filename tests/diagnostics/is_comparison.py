# cfuncc: --function node
def node(x: Signal[int]) -> Signal[bool]:
    return x is 0
