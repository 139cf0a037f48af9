# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    s = {i for i in range(3)}
    return x
