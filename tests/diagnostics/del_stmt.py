# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    y = x
    del y
    return x
