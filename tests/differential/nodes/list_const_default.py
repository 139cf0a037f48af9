# cfuncc: --function fir
def fir(x: Signal[float], w: NumbaList[float] = [0.5, 0.25, 0.125, 0.125]) -> Signal[float]:
    hist: State[NumbaList] = create_new_list(float)
    hist.insert(0, x)
    if len(hist) > len(w):
        hist.pop()
    y = 0.0
    for i in range(len(hist)):
        y += w[i] * hist[i]
    return y + sum(w) * 0.0
