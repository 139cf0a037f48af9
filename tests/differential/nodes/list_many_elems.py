# cfuncc: --function many_elems
def many_elems(n: Signal[int], x: Signal[int]) -> Outputs(size=int, s=int, head=int, tail=int):
    xs: State[NumbaList] = create_new_list(int)
    for i in range(n):
        xs.append(i * x)
    while len(xs) > 500:
        xs.pop(0)
    for i in range(n // 2):
        xs.insert(len(xs) // 2, -i)
    s = sum(xs)
    return len(xs), s, xs[0], xs[-1]
