# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    name: State[str] = 0
    return x
