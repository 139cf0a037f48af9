# cfuncc: --function keeps_mutations
def keeps_mutations(x: Signal[int], i: Signal[int]) -> Outputs(n=int, s=int, hits=int):
    xs: State[NumbaList] = create_new_list(int)
    d: State[NumbaDict] = create_new_dict(int, int)
    hits: State[int] = 0
    xs.append(x)
    d[x] = i
    hits += 1
    xs[i] = -1
    hits += d[x + 1]
    return len(xs), sum(xs), hits
