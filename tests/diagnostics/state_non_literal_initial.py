# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    total: State[int] = x * 2
    return total
