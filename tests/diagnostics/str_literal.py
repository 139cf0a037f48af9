# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    label = "hello"
    return x
