# cfuncc: --function nan_key
# A NaN key misses on lookup and faults (13) on insert; inf is a fine key.
import math


def nan_key(px: Signal[float], q: Signal[int]) -> Signal[int]:
    book: State[NumbaDict[float, int]] = create_new_dict(float, int)
    k = math.nan if q < 0 else px
    if q <= 0 and q != -5:
        return book.get(k, -1) + book.pop(k, -2) * 10 + int(k in book) * 100
    book[k] = q
    return len(book)
