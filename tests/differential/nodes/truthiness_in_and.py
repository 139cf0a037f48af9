# cfuncc: --function truthiness_in_and
def truthiness_in_and(x: Signal[int], reset: Signal[bool]) -> Outputs(empty=bool, nonempty=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    if reset:
        xs.clear()
    elif x > 0:
        xs.append(x)
    nonempty = 0
    if xs:
        nonempty = xs[0]
    empty = not xs
    while xs and xs[-1] > 50:
        xs.pop()
    return empty, nonempty, len(xs)
