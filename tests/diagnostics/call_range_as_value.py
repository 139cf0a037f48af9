# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    r = range(x)
    return x
