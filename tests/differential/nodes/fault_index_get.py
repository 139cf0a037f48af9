# cfuncc: --function index_get
def index_get(x: Signal[int], i: Signal[int]) -> Outputs(v=int, n=int):
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    v = xs[i]
    return v, len(xs)
