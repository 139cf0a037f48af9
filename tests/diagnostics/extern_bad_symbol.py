# cfuncc: --function node
@extern(symbol="book-mid")
def book_mid(bid: int) -> float: ...

def node(b: Signal[int]) -> Signal[float]:
    return book_mid(b)
