# cfuncc: --function node
def node(a: Signal[int]) -> Signal[int]:
    mid = (1, 2)[0:1]
    return 1
