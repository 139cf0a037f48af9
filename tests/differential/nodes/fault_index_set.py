# cfuncc: --function index_set
def index_set(x: Signal[float], i: Signal[int]) -> Outputs(s=float, n=int):
    xs: State[NumbaList] = create_new_list(float)
    if len(xs) < 4:
        xs.append(x)
    xs[i] = x * 2.0
    xs[i] += 1.0
    return sum(xs), len(xs)
