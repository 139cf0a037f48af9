# cfuncc: --function assign_order
def assign_order(x: Signal[int], mode: Signal[int]) -> Outputs(n=int, s=int, m=int, t=int):
    # CPython evaluates `target[index] = value` as value, target, index;
    # `target[index] op= value` as target, index, target[index], value.
    xs: State[NumbaList] = create_new_list(int)
    d: State[NumbaDict] = create_new_dict(int, int)
    if mode == 0:
        xs.append(x)
        d[x] = x * 10
    elif mode == 1:
        xs[len(xs) - 1] = xs.pop()
    elif mode == 2:
        d[1 << x] = d[x]
    elif mode == 3:
        d[len(d)] = d.pop(x, -1)
    elif mode == 4:
        xs[len(xs) - 1] += xs.pop()
    else:
        d[x] += d.pop(x)
    t = 0
    for k in d:
        t += k * 1000 + d[k]
    return len(xs), sum(xs), len(d), t
