# cfuncc: --function lookup
def lookup(k: Signal[int], v: Signal[float]) -> Signal[float]:
    d: State[NumbaDict] = create_new_dict(int, float)
    if k < 0:
        d[-k] = v
        return None
    if d.get(k) is None:
        d[k + 100] = v
    if d.get(k + 100) is not None and v > 5.0:
        return d[k + 100] + 0.5
    return d.get(k)
