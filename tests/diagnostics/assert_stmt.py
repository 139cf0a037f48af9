# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    assert x > 0
    return x
