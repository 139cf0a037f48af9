# cfuncc: --function node
def node(x: Signal[float]) -> Signal[float]:
    return x @ x
