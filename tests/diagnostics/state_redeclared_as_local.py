# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    total: State[int] = 0
    total: int = total + x
    return total
