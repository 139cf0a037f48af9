# cfuncc: --function before_start
def before_start(x: Signal[int]) -> Signal[int]:
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    return sum(xs)
