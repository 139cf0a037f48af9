# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    if x > 0:
        return node(x - 1)
    return 0
