# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    return abs(1, 2)
