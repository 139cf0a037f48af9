# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    n = 0
    for i in [1, 2, 3]:
        n += i
    return n
