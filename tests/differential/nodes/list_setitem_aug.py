# cfuncc: --function setitem_aug
def setitem_aug(x: Signal[int], y: Signal[float]) -> Outputs(a=int, b=float, c=int):
    ints: State[NumbaList[int]] = create_new_list(int)
    floats: State[NumbaList[float]] = create_new_list(float)
    if len(ints) < 3:
        ints.append(x)
        floats.append(y)
    ints[0] += x
    ints[-1] -= 1
    ints[1 % len(ints)] *= 2
    floats[0] += y
    floats[-1] /= 2.0
    floats[len(floats) - 1] = floats[0] * 0.5
    ints[0] //= 3
    ints[-1] %= 1000
    return ints[0] + ints[-1], floats[0] + floats[-1], len(ints)
