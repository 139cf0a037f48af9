# cfuncc: --function named_outputs_tuple
def named_outputs_tuple(x: Signal[float]) -> Outputs(pos=float, neg=float, count=int):
    n: State[int] = 0
    n += 1
    if x > 0.0:
        return x, None, n
    elif x < 0.0:
        return None, -x, n
    return None, None, None
