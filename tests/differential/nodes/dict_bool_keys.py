# cfuncc: --function bool_keys
def bool_keys(flag: Signal[bool], x: Signal[int]) -> Outputs(t=int, f=int, n=int, first=bool):
    counts: State[NumbaDict] = create_new_dict(bool, int)
    counts[flag] = counts.get(flag, 0) + x
    first = False
    for k in counts:
        first = k
        break
    return counts.get(True, 0), counts.get(False, 0), len(counts), first
