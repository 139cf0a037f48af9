# cfuncc: --function pop_index
def pop_index(x: Signal[int], i: Signal[int]) -> Outputs(p=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    xs.append(x + 1)
    p = xs.pop(i)
    return p, len(xs)
