# cfuncc: --function warmed --const base=7
# `with start():` runs at START after the declared initial values (seeding
# state from a constant, filling a dict in a loop); `with stop():` runs at
# STOP while the containers still exist. Locals of a block are its own.
def warmed(x: Signal[int], base: int) -> Signal[int]:
    total: State[int] = 0
    stops: State[int] = 0
    seen: State[NumbaDict] = create_new_dict(int, int)
    with start():
        total = base * 10
        for i in range(4):
            seen[i] = i * base
        k = len(seen)
        total += k
    total += x + seen.get(x % 5, -1)
    if x < 0:
        return None
    with stop():
        stops += 1 + len(seen)
        seen.clear()
    return total * 100 + stops
