# cfuncc: --function ema_per_key --const alpha=0.25
def ema_per_key(key: Signal[int], x: Signal[float], alpha: float) -> Outputs(ema=float, keys=int, mean=float):
    emas: State[NumbaDict[int, float]] = create_new_dict(int, float)
    if key not in emas:
        emas[key] = x
    else:
        emas[key] += alpha * (x - emas[key])
    s = 0.0
    for v in emas.values():
        s += v
    return emas[key], len(emas.keys()), s / len(emas)
