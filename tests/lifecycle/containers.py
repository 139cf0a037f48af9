# A node with state and tick-local containers that faults mid-tick after
# allocating: tests/lifecycle.rs drives it through every lifecycle order
# under valgrind.
def lc(x: Signal[int]) -> Signal[int]:
    xs: State[NumbaList] = create_new_list(int)
    d: State[NumbaDict] = create_new_dict(int, float)
    xs.append(x)
    d[x] = x * 0.5
    ys = create_new_list(int)
    for v in xs:
        ys.append(v * 2)
    zs = ys[::-1]
    if x == 3:
        return xs[100]
    if x == 4:
        return int(d.pop(12345))
    if x == 5:
        for k in d:
            d[k + 100] = 1.0
    return len(zs) * 1000 + len(d)
