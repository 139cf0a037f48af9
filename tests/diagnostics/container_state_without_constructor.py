# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    xs: State[NumbaList[int]] = 0
    return x
