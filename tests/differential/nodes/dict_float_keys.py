# cfuncc: --function buckets --const 'weights={0.5: 2.0, -0.0: 1.0, 1.5: 3.0}'
# Float keys: -0.0 and 0.0 are one key; lookups, pops, iteration order.
def buckets(px: Signal[float], q: Signal[int], weights: NumbaDict[float, float]) -> Signal[float]:
    book: State[NumbaDict[float, int]] = create_new_dict(float, int)
    if q == 0:
        book.pop(px, 0)
        return None
    book[px] = book.get(px, 0) + q
    total = 0.0
    for level, size in book.items():
        total += level * size * weights.get(level, 0.5)
    if px in weights:
        total += 1000.0
    if 0.0 in book:
        total += book[-0.0] * 0.25
    return total + len(book) * 10000.0
