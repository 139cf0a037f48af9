# cfuncc: --function insert_extend
def insert_extend(x: Signal[int], at: Signal[int]) -> Outputs(code=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.insert(at, x)
    more = create_new_list(int)
    more.append(x * 10)
    more.insert(0, x * 100)
    if at > 5:
        xs.extend(more)
    code = 0
    for v in xs:
        code = (code * 31 + v) % 1000003
    return code, len(xs)
