# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    f = lambda v: v + 1
    return x
