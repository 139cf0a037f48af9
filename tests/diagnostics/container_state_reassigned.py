# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    xs: State[NumbaList] = create_new_list(int)
    xs = create_new_list(int)
    return len(xs)
