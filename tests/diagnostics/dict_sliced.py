# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    d: State[NumbaDict] = create_new_dict(int, int)
    return len(d[1:2])
