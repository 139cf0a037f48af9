# cfuncc: --function node
@extern
def gate(open: bool) -> float: ...

def node(b: Signal[int]) -> Signal[float]:
    return gate(b)
