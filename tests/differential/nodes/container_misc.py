# cfuncc: --function misc --const 'few=[4]' --const 'sign={True: 1, False: -1}'
def misc(x: Signal[int], b: Signal[bool], few: NumbaList[int], sign: NumbaDict[bool, int]) -> Outputs(a=int, nv=int, ni=int, nested=int, e=int):
    d: State[NumbaDict] = create_new_dict(int, float)
    d[x % 4] = x * 0.5
    a = sign[b] * x + len(few)
    nested = 0
    for k in d:
        for k2 in d.keys():
            if k < k2:
                nested += k * 10 + k2
    e = 0
    for v in few:
        e += v
    if not few:
        e -= 1
    return a, len(d.values()), len(d.items()), nested, e + sum(few)
