# cfuncc: --function node
@extern
def book_mid(bid: int) -> float:
    """The mid price."""
    return bid / 2

def node(b: Signal[int]) -> Signal[float]:
    return book_mid(b)
