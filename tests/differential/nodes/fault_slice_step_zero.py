# cfuncc: --function slice_step
def slice_step(x: Signal[int], step: Signal[int]) -> Outputs(s=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    part = xs[0:len(xs):step]
    return sum(part), len(part)
