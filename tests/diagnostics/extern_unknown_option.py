# cfuncc: --function node
@extern(pure=False, cache=True)
def book_mid(bid: int) -> float: ...

def node(b: Signal[int]) -> Signal[float]:
    return book_mid(b)
