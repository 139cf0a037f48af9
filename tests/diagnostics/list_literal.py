# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    xs = [x, x]
    return x
