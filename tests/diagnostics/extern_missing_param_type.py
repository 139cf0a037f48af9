# cfuncc: --function node
@extern
def book_mid(bid) -> float: ...

def node(b: Signal[int]) -> Signal[float]:
    return book_mid(b)
