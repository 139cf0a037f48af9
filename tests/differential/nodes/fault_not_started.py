# cfuncc: --function not_started
def not_started(x: Signal[int]) -> Outputs(n=int, total=int, calls=int):
    calls: State[int] = 0
    seen: State[NumbaDict] = create_new_dict(int, int)
    calls += 1
    seen[x] = seen.get(x, 0) + 1
    total = 0
    for k, v in seen.items():
        total += v
    return len(seen), total, calls
