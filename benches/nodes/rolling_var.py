def rolling_var(x: Signal[float]) -> Signal[float]:
    w: State[NumbaList] = create_new_list(float)
    w.append(x)
    if len(w) > 16:
        w.pop(0)
    n = len(w)
    m = 0.0
    for v in w:
        m += v
    m = m / n
    s = 0.0
    for v in w:
        s += (v - m) * (v - m)
    return s / n
