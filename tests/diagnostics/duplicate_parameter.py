# cfuncc: --function node
def node(x: Signal[int], y: Signal[int], x: Signal[int]) -> Signal[int]:
    return x + y
