# cfuncc: --function node
def node(a: Signal[int]) -> Signal[int]:
    mid = a[0:1]
    return 1
