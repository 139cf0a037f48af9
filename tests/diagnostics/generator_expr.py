# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    g = (i * x for i in range(3))
    return x
