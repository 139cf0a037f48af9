# cfuncc: --function node
def node(x: Signal[float]) -> Signal[int]:
    y: int = x
    return y
