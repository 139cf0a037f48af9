# cfuncc: --function truthiness
def truthiness(x: Signal[int], reset: Signal[bool]) -> Outputs(empty=bool, nonempty=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    if reset:
        xs.clear()
    elif x > 0:
        xs.append(x)
    nonempty = 0
    if xs:
        nonempty = xs[0]
    empty = not xs
    while xs:
        if xs[-1] <= 50:
            break
        xs.pop()
    return empty, nonempty, len(xs)
