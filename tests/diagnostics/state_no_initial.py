# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    total: State[int]
    total += x
    return total
