# cfuncc: --function node
def helper(v: int) -> int:
    return v * 2

def node(x: Signal[int]) -> Signal[int]:
    return helper(x)
