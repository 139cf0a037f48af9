# cfuncc: --function node
PURE = False

@extern(pure=PURE)
def book_mid(bid: int) -> float: ...

def node(b: Signal[int]) -> Signal[float]:
    return book_mid(b)
