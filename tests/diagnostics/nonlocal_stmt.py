# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    nonlocal total
    return x
