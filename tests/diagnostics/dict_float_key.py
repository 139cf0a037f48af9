# cfuncc: --function node
def node(x: Signal[float]) -> Signal[float]:
    d: State[NumbaDict] = create_new_dict(float, float)
    d[x] = x
    return d[x]
