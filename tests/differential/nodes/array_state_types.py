# cfuncc: --function state_arrays
# The seed's tests/test_arrays.py state_arrays: int, float and bool array
# state side by side (slots ordered by byte size: 32, 16, 2), bool
# elements one byte each.
def state_arrays(index: Signal[int], value: Signal[int]) -> Signal[float]:
    ints: State[NumbaArray] = create_new_array(int, 4)
    floats: State[NumbaArray] = create_new_array(float, 2)
    bools: State[NumbaArray] = create_new_array(bool, 2)
    ints[index] = ints[index] + value
    floats[0] = value + 0.5
    bools[1] = value > 0
    return ints[-1] + ints[index] + len(ints) + floats[0] + int(bools[-1])
