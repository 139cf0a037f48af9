# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    for a, b in range(3):
        pass
    return x
