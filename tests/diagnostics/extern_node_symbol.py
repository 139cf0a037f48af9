# cfuncc: --function node
@extern(symbol="node")
def helper(x: int) -> int: ...

def node(b: Signal[int]) -> Signal[int]:
    return helper(b)
