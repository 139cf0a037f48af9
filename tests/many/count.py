def count(x: Signal[int]) -> Signal[int]:
    seen: State[NumbaDict] = create_new_dict(int, int)
    seen[x] = seen.get(x, 0) + 1
    return seen[x]
