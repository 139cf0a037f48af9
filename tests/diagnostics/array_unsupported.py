# cfuncc: --function fixed
# What a fixed-size array does not do: change its length, slices, 'in',
# 'del', being a number, float indices, holding a float in an int array,
# being assigned to as state.
def fixed(value: Signal[int], f: Signal[float]) -> Signal[int]:
    a: State[NumbaArray] = create_new_array(int, 4)
    a.append(value)
    b = a[1:3]
    c = value in a
    del a[0]
    d = a + 1
    e = a[f]
    a[0] = f
    a = create_new_array(int, 4)
    a.sort()
    return 0
