# cfuncc: --function node
def node(x: Signal[int], scale) -> Signal[int]:
    return x * scale
