# cfuncc: --function node
def node(x: Signal[int], s: State[int]) -> Signal[int]:
    return x
