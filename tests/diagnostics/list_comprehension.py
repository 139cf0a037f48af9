# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    ys = [i * x for i in range(3)]
    return x
