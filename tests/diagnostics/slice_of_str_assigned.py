# cfuncc: --function node
def node(a: Signal[int]) -> Signal[int]:
    mid = 'x'[a:2]
    return 1
