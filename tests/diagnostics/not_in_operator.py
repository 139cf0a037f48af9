# cfuncc: --function node
def node(x: Signal[int], y: Signal[int]) -> Signal[bool]:
    return x not in y
