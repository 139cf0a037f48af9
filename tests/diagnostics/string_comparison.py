# cfuncc: --function node
def node(x: Signal[int]) -> Signal[bool]:
    return x == "one"
