# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    total: State[int] = 0.5
    return total
