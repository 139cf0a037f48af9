# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    return min(x)
