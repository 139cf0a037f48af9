# cfuncc: --function node
def node(x: Signal[int]) -> Outputs(a=int, b=int, a=float):
    return x, x
