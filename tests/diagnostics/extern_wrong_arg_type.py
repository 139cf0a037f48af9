# cfuncc: --function node
@extern
def book_mid(bid: int, ask: int) -> float: ...

def node(b: Signal[int], x: Signal[float]) -> Signal[float]:
    return book_mid(b, x * 2.0)
