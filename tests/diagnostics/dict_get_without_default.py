# cfuncc: --function node
def node(k: Signal[int]) -> Signal[float]:
    d: State[NumbaDict] = create_new_dict(int, float)
    return d.get(k) + 1.0
