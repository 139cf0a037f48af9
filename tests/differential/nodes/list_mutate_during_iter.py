# cfuncc: --function mutate_iter
def mutate_iter(x: Signal[int], mode: Signal[int]) -> Outputs(seen=int, n=int, s=int):
    xs = create_new_list(int)
    for i in range(x % 7):
        xs.append(i)
    seen = 0
    for v in xs:
        seen = seen * 10 + v
        if mode == 0:
            xs.pop()
        elif mode == 1:
            if v % 2 == 0:
                del xs[0]
        elif mode == 2:
            if len(xs) < 10:
                xs.insert(0, v + 1)
        else:
            xs[len(xs) - 1] = v * 2
    return seen, len(xs), sum(xs)
