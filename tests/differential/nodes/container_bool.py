# cfuncc: --function f
# bool() of lists and dicts: true when nonempty, as len() != 0.
def f(x: Signal[int]) -> Outputs(a=bool, b=bool, c=int):
    xs: State[NumbaList] = create_new_list(int)
    d = create_new_dict(int, int)
    if x > 0:
        xs.append(x)
        d[x] = 1
    elif x < 0 and bool(xs):
        xs.pop()
    return bool(xs), bool(d) or not bool(xs), len(xs)
