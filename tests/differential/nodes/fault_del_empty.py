# cfuncc: --function del_empty
def del_empty(x: Signal[int], mode: Signal[int]) -> Outputs(n=int, s=int):
    # `del xs[i]` on an empty list is IndexError "list assignment index out
    # of range" (5); pop(i) and pop() on an empty list are "pop from empty
    # list" (6).
    xs: State[NumbaList] = create_new_list(int)
    if mode == 0:
        xs.append(x)
    elif mode == 1:
        del xs[x]
    elif mode == 2:
        xs.pop(x)
    else:
        xs.pop()
    return len(xs), sum(xs)
