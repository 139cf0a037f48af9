# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    total: State = 0
    total += x
    return total
