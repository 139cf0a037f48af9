# cfuncc: --function fault_index
# Run-time indices out of range fault (5) at the line of the access, for a
# store, an update and a read, and for a local array; what was stored
# before the fault in the tick stays (in CPython too).
def fault_index(i: Signal[int], v: Signal[int]) -> Signal[int]:
    a: State[NumbaArray] = create_new_array(int, 3)
    a[0] += 1
    if v > 0:
        a[i] = v
    elif v < 0:
        a[i] -= 1
    else:
        loc = create_new_array(bool, 2)
        loc[i] = True
        return int(loc[0])
    return a[0] * 100 + a[1] * 10 + a[-i]
