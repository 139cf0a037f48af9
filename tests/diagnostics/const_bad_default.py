# cfuncc: --function node
def node(x: Signal[int], n: int = x) -> Signal[int]:
    return x
