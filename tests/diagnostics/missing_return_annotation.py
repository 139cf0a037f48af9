# cfuncc: --function node
def node(x: Signal[int]):
    return x
