# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    if x > 0:
        return y
    return x
