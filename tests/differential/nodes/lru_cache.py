# cfuncc: --function lru --const capacity=3
def lru(key: Signal[int], val: Signal[float], capacity: int) -> Outputs(hit=bool, got=float, size=int, oldest=int):
    cache: State[NumbaDict] = create_new_dict(int, float)
    order: State[NumbaList] = create_new_list(int)
    hit = key in cache
    got = 0.0
    if hit:
        got = cache[key]
        for i in range(len(order)):
            if order[i] == key:
                del order[i]
                break
        order.append(key)
    else:
        cache[key] = val
        order.append(key)
        if len(order) > capacity:
            old = order.pop(0)
            del cache[old]
    return hit, got, len(cache), order[0]
