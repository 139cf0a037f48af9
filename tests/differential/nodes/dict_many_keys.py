# cfuncc: --function many_keys
def many_keys(n: Signal[int], stride: Signal[int]) -> Outputs(size=int, s=int, order=int, last=int):
    d: State[NumbaDict] = create_new_dict(int, int)
    for i in range(n):
        d[i * stride] = i
    for i in range(0, n, 3):
        d.pop(i * stride, 0)
    s = 0
    order = 0
    last = 0
    for k, v in d.items():
        s += v
        order = (order * 31 + k) % 1000000007
        last = k
    return len(d), s, order, last
