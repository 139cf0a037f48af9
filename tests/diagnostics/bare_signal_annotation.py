# cfuncc: --function node
def node(x: Signal) -> Signal[int]:
    return x
