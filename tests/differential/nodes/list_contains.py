# cfuncc: --function contains
def contains(x: Signal[int]) -> Outputs(seen=bool, fresh=bool, n=int):
    xs: State[NumbaList] = create_new_list(int)
    seen = x in xs
    fresh = x not in xs
    if fresh:
        xs.append(x)
    return seen, fresh, len(xs)
