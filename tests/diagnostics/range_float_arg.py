# cfuncc: --function node
def node(x: Signal[float]) -> Signal[int]:
    n = 0
    for i in range(x):
        n += 1
    return n
