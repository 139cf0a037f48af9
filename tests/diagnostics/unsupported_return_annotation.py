# cfuncc: --function node
def node(x: Signal[int]) -> int:
    return x
