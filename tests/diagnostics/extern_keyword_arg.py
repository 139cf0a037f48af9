# cfuncc: --function node
@extern
def book_mid(bid: int, ask: int) -> float: ...

def node(b: Signal[int], a: Signal[int]) -> Signal[float]:
    return book_mid(b, ask=a)
