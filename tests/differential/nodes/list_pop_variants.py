# cfuncc: --function pop_variants
def pop_variants(x: Signal[int], mode: Signal[int]) -> Outputs(popped=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    xs.append(x + 1)
    xs.append(x + 2)
    popped = 0
    if mode == 0:
        popped = xs.pop()
    elif mode == 1:
        popped = xs.pop(0)
    elif mode == 2:
        popped = xs.pop(-1)
    elif mode == 3:
        popped = xs.pop(len(xs) // 2)
    else:
        popped = xs.pop(-len(xs)) + xs.pop(-2)
    return popped, len(xs)
