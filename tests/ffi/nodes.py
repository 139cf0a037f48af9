# Nodes calling C functions; their bodies are in tests/ffi/book.c.
from cfuncc import extern


@extern
def book_mid(bid: int, ask: int) -> float: ...


@extern(pure=False)
def book_mid_impure(bid: int, ask: int) -> float: ...


@extern
def crossed(strict: bool, bid: int, ask: int) -> bool:
    """bid >= ask when strict, else bid > ask."""
    ...


@extern(pure=False)
def calls() -> int: ...


@extern(pure=False)
def note(x: float) -> None:
    pass


@extern(pure=False)
def last_note() -> float: ...


def mid(bid: Signal[int], ask: Signal[int]) -> Signal[float]:
    return book_mid(bid, ask)


def twice(bid: Signal[int], ask: Signal[int]) -> Signal[float]:
    return book_mid(bid, ask) + book_mid(bid, ask)


def twice_impure(bid: Signal[int], ask: Signal[int]) -> Signal[float]:
    return book_mid_impure(bid, ask) + book_mid_impure(bid, ask)


def pure_loop(bid: Signal[int], ask: Signal[int], n: Signal[int]) -> Outputs(total=float, calls=int):
    total = 0.0
    for i in range(n):
        total += book_mid(bid, ask)
    return total, calls()


def impure_loop(bid: Signal[int], ask: Signal[int], n: Signal[int]) -> Outputs(total=float, calls=int):
    total = 0.0
    for i in range(n):
        total += book_mid_impure(bid, ask)
    return total, calls()


def quote(bid: Signal[int], ask: Signal[int], strict: Signal[bool]) -> Outputs(mid=float, crossed=bool, noted=float):
    m = book_mid(bid, ask)
    note(m * 2.0)
    return m, crossed(strict, bid, ask), last_note()
