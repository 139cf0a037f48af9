# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    x.value = 3
    return x
