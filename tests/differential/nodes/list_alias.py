# cfuncc: --function alias
def alias(x: Signal[int]) -> Outputs(n=int, last=int, other=int):
    xs: State[NumbaList] = create_new_list(int)
    ys = xs
    ys.append(x)
    zs = create_new_list(int)
    ws = zs
    ws.append(x * 3)
    zs.append(len(ws))
    return len(xs), xs[-1], sum(zs)
