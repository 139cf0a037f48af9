# cfuncc: --function orderbook
def orderbook(price: Signal[int], qty: Signal[float]) -> Outputs(best=int, depth=float, levels=int, at_best=float):
    book: State[NumbaDict] = create_new_dict(int, float)
    if qty <= 0.0:
        if price in book:
            del book[price]
    else:
        book[price] = qty
    best = -1
    depth = 0.0
    for p, q in book.items():
        depth += q
        if p > best:
            best = p
    at_best = book.get(best, 0.0)
    return best, depth, len(book), at_best
