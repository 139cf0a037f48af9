# cfuncc: --function node
def node(x: Signal[int], n: int) -> Signal[int]:
    return x * n
