# cfuncc: --function node
def node(x: Signal[int]) -> Signal[bool]:
    return 0 < (x)  is not 3
