# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    y = await x
    return y
