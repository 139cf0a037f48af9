# cfuncc: --function node
from cfuncc import extern

@extern
def book_mid(bid: int, ask: int) -> float: ...

def node(b: Signal[int]) -> Signal[float]:
    return book_mid(b)
