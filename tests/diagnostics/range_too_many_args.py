# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    n = 0
    for i in range(0, x, 1, 2):
        n += 1
    return n
