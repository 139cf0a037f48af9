# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    total: State[int] = 0
    if x > 0:
        total: State[int] = 1
    return total
