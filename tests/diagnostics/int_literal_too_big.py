# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    return x + 9223372036854775808
