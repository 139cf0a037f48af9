# cfuncc: --function node
# Helpers with loops: `return` from inside a loop, `break` of the helper's
# own loop inside the node's loop, locals named like the node's (each
# scope its own), a statement call that updates a dict it is given.


def first_above(xs, limit):
    i = 0
    for v in xs:
        if v > limit:
            return i
        i += 1
    return -1


def bump(counts, key, by=1):
    counts[key] = counts.get(key, 0) + by


def digits(n):
    i = 0
    n = abs(n)
    while True:
        i += 1
        n = n // 10
        if n == 0:
            break
    return i


def node(x: Signal[int]) -> Signal[int]:
    hist: State[NumbaList] = create_new_list(int)
    counts: State[NumbaDict] = create_new_dict(int, int)
    hist.append(x)
    i = 0
    total = 0
    for k in range(3):
        bump(counts, x % 4, by=k + 1)
        i += digits(x * (k + 1))
        total += first_above(hist, x - k)
    bump(counts, 99)
    return i * 1000 + total * 10 + counts[x % 4] + counts[99]
