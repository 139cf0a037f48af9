# cfuncc: --function while_else
def while_else(x: Signal[int], limit: int = 20) -> Signal[int]:
    i = 0
    total = 0
    while i < limit:
        total += i * x
        if total > 100:
            break
        i += 1
    else:
        return -total
    return i
