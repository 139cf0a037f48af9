def dict_acc(k: Signal[int], v: Signal[float]) -> Signal[float]:
    sums: State[NumbaDict] = create_new_dict(int, float)
    sums[k] = sums.get(k, 0.0) + v
    return sums[k]
