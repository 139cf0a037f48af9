# cfuncc: --function update_in_loop
def update_in_loop(k: Signal[int], decay: Signal[int]) -> Outputs(total=int, n=int, kept=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    d[k] = d.get(k, 0) + 100
    total = 0
    for key in d:
        d[key] = d[key] - decay
        total += d[key]
    kept = 0
    for key, v in d.items():
        d[key] = v * 2 if v < 0 else v
        kept += 1 if v > 0 else 0
    return total, len(d), kept
