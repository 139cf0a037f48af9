# cfuncc: --function pop_default
def pop_default(k: Signal[int], v: Signal[int]) -> Outputs(got=int, missing=int, n=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    d[k] = v
    d[k + 1] = v * 2
    got = d.pop(k)
    missing = d.pop(k + 100, -7)
    if v > 5:
        got += d.pop(k + 1, 0)
    return got, missing, len(d)
