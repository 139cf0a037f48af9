# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    big: State[int] = 99999999999999999999
    return x
