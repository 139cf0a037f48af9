def rolling_window(x: Signal[float]) -> Signal[float]:
    w: State[NumbaArray] = create_new_array(float, 16)
    pos: State[int] = 0
    w[pos] = x
    pos = (pos + 1) % 16
    m = sum(w) / 16.0
    s = 0.0
    for v in w:
        s += (v - m) * (v - m)
    return s / 16.0
