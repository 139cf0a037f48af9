# cfuncc: --function node
@extern
def book_mid(bid: int, ask: int = 0) -> float: ...

def node(b: Signal[int]) -> Signal[float]:
    return book_mid(b, 1)
