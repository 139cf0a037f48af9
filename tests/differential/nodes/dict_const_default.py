# cfuncc: --function const_default
def const_default(code: Signal[int], limits: NumbaDict[int, int] = {0: 10, 1: 20, 5: 50}) -> Outputs(limit=int, key_order=int, max_limit=int):
    key_order = 0
    max_limit = 0
    for k in limits:
        key_order = key_order * 10 + k
        if limits[k] > max_limit:
            max_limit = limits[k]
    if code in limits:
        return limits[code], key_order, max_limit
    return -1, key_order, max_limit
