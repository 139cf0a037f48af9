# cfuncc: --function node
def node(x: Signal[float]) -> Signal[int]:
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    return len(xs)
