# cfuncc: --function pop_empty
def pop_empty(x: Signal[int], mode: Signal[int]) -> Outputs(p=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    if x > 0:
        xs.append(x)
    p = 0
    if mode == 0:
        p = xs.pop()
    elif mode == 1:
        p = xs.pop(0)
    elif mode == 2:
        p = xs.pop(-1)
    else:
        tmp = create_new_list(int)
        p = tmp.pop()
    return p, len(xs)
