# cfuncc: --function rolling_mean --const window=4
def rolling_mean(x: Signal[float], window: int) -> Signal[float]:
    xs: State[NumbaList] = create_new_list(float)
    xs.append(x)
    if len(xs) > window:
        xs.pop(0)
    total = 0.0
    for v in xs:
        total += v
    return total / len(xs)
