# cfuncc: --function del_item
def del_item(x: Signal[int], which: Signal[int]) -> Outputs(n=int, head=int, tail=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    xs.append(x * 2)
    if which == 0:
        del xs[0]
    elif which == 1:
        del xs[-1]
    else:
        del xs[len(xs) // 2]
    return len(xs), xs[0], xs[-1]
