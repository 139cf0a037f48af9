# cfuncc: --function grow
def grow(x: Signal[int]) -> Outputs(n=int, s=int):
    ys = create_new_list(int)
    ys.append(x)
    for v in ys:
        if v > 1 and len(ys) < 12:
            ys.append(v // 2)
            ys.append(v - v // 2 - 1)
    acc = create_new_list(int)
    for v in ys:
        if v % 2 == 0:
            continue
        acc.append(v)
        if len(acc) >= 4:
            break
    return len(ys), sum(acc)
