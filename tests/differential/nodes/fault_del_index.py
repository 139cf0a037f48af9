# cfuncc: --function del_index
def del_index(x: Signal[int], i: Signal[int]) -> Outputs(n=int, s=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    xs.append(-x)
    del xs[i]
    return len(xs), sum(xs)
