# cfuncc: --function node
def node(x: Signal[int]) -> Outputs(int, float):
    return x, x
