# cfuncc: --function extend_self --const 'w=[7, 8]'
def extend_self(x: Signal[int], mode: Signal[int], w: NumbaList[int]) -> Outputs(n=int, s=int, last=int):
    xs: State[NumbaList] = create_new_list(int)
    if len(xs) > 40:
        xs.clear()
    xs.append(x)
    if mode == 0:
        xs.extend(xs)
    elif mode == 1:
        xs.extend(w)
    elif mode == 2:
        xs.extend(xs[::-1])
    else:
        tmp = create_new_list(int)
        xs.extend(tmp)
    return len(xs), sum(xs), xs[-1]
