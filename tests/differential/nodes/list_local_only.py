# cfuncc: --function local_only
def local_only(a: Signal[int], b: Signal[int], c: Signal[float]) -> Outputs(s=int, m=float, n=int):
    ys = create_new_list(int)
    fs = create_new_list(float)
    for i in range(a % 5 + 1):
        ys.append(i * b)
        fs.append(c / (i + 1))
    if b > 0:
        ys.insert(0, -b)
    zs = ys[1:len(ys)]
    zs.append(100)
    ys.extend(zs)
    return sum(ys), max(fs), len(ys)
