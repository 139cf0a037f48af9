# cfuncc: --function counter
def counter(x: Signal[int]) -> Outputs(count=int, distinct=int, most=int):
    counts: State[NumbaDict] = create_new_dict(int, int)
    counts[x] = counts.get(x, 0) + 1
    most = x
    for k, v in counts.items():
        if v > counts[most]:
            most = k
    return counts[x], len(counts), most
