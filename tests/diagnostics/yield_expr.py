# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    yield x
