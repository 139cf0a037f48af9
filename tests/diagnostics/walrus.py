# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    if (y := x + 1) > 2:
        return y
    return 0
