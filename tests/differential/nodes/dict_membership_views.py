# cfuncc: --function views
def views(k: Signal[int], v: Signal[float]) -> Outputs(has_key=bool, no_key=bool, has_val=bool, nkeys=int, keysum=int):
    d: State[NumbaDict] = create_new_dict(int, float)
    has_key = k in d.keys()
    no_key = k not in d
    has_val = v in d.values()
    d[k] = v
    keysum = 0
    for key in d.keys():
        keysum += key
    return has_key, no_key, has_val, len(d.keys()), keysum
