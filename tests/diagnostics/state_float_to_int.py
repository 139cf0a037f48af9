# cfuncc: --function node
def node(x: Signal[float]) -> Signal[int]:
    total: State[int] = 0
    total = total + x
    return 0
