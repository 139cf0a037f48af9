# cfuncc: --function node
def node[T](x: Signal[int]) -> Signal[int]:
    return x
