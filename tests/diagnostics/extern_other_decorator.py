# cfuncc: --function node
import functools

@functools.cache
@extern
def book_mid(bid: int) -> float: ...

def node(b: Signal[int]) -> Signal[float]:
    return book_mid(b)
