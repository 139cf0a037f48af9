# cfuncc: --function spread
# csp's spelling, `with csp.start():` / `with csp.stop():`, and a float
# state reset at START from a list built there.
def spread(bid: Signal[float], ask: Signal[float]) -> Signal[float]:
    last: State[float] = 0.0
    window: State[NumbaList] = create_new_list(float)
    with csp.start():
        for i in range(3):
            window.append(0.5 * i)
        last = sum(window)
    window.append(ask - bid)
    if len(window) > 4:
        window.pop(0)
    last = last * 0.5 + sum(window) / len(window)
    with csp.stop():
        last = -1.0
    return last
