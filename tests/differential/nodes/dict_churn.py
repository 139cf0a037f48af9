# cfuncc: --function churn
def churn(base: Signal[int], n: Signal[int]) -> Outputs(size=int, order=int, hits=int, first=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    for i in range(n):
        d[base + i] = i
    for i in range(0, n, 2):
        del d[base + i]
    for i in range(0, n, 4):
        d[base + i] = -i
    hits = 0
    for i in range(-5, n + 5):
        if base + i in d:
            hits += 1
    order = 0
    first = 0
    for k, v in d.items():
        if order == 0:
            first = k
        order = (order * 131 + k * 7 + v) % 1000000007
    if len(d) > 200:
        d.clear()
    return len(d), order, hits, first
