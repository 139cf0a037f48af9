# cfuncc: --function flags
def flags(k: Signal[int], on: Signal[bool]) -> Outputs(on_count=int, state=bool, any_on=bool, n=int):
    f: State[NumbaDict[int, bool]] = create_new_dict(int, bool)
    f[k] = on
    on_count = 0
    for key, v in f.items():
        if v:
            on_count += 1
    return on_count, f[k], True in f.values(), len(f)
