# cfuncc: --function node
@extern
def total(*xs: int) -> int: ...

def node(b: Signal[int]) -> Signal[int]:
    return total(b)
