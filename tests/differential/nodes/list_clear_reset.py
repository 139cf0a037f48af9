# cfuncc: --function clear_reset
def clear_reset(x: Signal[int]) -> Outputs(n=int, total=int, ticks=int):
    xs: State[NumbaList[int]] = create_new_list(int)
    count: State[int] = 0
    count += 1
    if x == 0:
        xs.clear()
    else:
        xs.append(x)
    return len(xs), sum(xs), count
