# cfuncc: --function node
def node(x: Signal[float]) -> Signal[bool]:
    seen: State[bool] = False
    seen = x
    return seen
