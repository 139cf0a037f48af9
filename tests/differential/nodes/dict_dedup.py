# cfuncc: --function dedup
def dedup(x: Signal[int]) -> Outputs(is_new=bool, unique=int, order=int):
    seen: State[NumbaDict] = create_new_dict(int, bool)
    uniq: State[NumbaList] = create_new_list(int)
    is_new = x not in seen
    if is_new:
        seen[x] = True
        uniq.append(x)
    order = 0
    for v in uniq:
        order = (order * 7 + v) % 100003
    return is_new, len(seen), order
