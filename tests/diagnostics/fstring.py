# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    y = f"value {x}"
    return x
