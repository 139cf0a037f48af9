# cfuncc: --function node
def node(x: Signal[float]) -> Signal[int]:
    return x & 1
