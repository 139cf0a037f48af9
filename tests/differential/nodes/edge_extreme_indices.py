# cfuncc: --function extreme
def extreme(x: Signal[int], i: Signal[int], mode: Signal[int]) -> Outputs(n=int, s=int, v=int):
    xs: State[NumbaList] = create_new_list(int)
    if len(xs) < 5:
        xs.append(x % 100)
    v = 0
    if mode == 0:
        xs.insert(i, x % 100)
        xs.pop(0)
    elif mode == 1:
        v = sum(xs[i:x])
    elif mode == 2:
        v = len(xs[x:i:-1])
    elif mode == 3:
        v = len(xs[0:len(xs):i])
    elif mode == 4:
        v = xs[i]
    else:
        v = xs.pop(i)
        xs.append(v)
    return len(xs), sum(xs), v
