# cfuncc: --function node
@extern(symbol="mid")
def mid_i(x: int) -> float: ...

@extern(symbol="mid")
def mid_f(x: float) -> float: ...

def node(b: Signal[int], x: Signal[float]) -> Signal[float]:
    return mid_i(b) + mid_f(x)
