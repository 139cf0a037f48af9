# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    print(x)
    return x
