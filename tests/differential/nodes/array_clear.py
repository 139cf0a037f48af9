# cfuncc: --function clear_array
# The seed's tests/test_arrays.py clear_array (its struct readout as named
# outputs): a.clear() zero-fills int, float and bool arrays, through an
# alias too; the length stays.
def clear_array(value: Signal[int]) -> Outputs(int_sum=int, float_sum=float, bool_count=int, lengths=int):
    ints: State[NumbaArray] = create_new_array(int, 3)
    floats: State[NumbaArray] = create_new_array(float, 2)
    bools: State[NumbaArray] = create_new_array(bool, 2)
    int_alias = ints
    if value < 0:
        int_alias.clear()
        floats.clear()
        bools.clear()
    else:
        ints[0] = value
        ints[1] = value + 1
        ints[2] = value + 2
        floats[0] = value + 0.25
        floats[1] = value + 0.5
        bools[0] = True
        bools[1] = True
    return (ints[0] + ints[1] + ints[2], floats[0] + floats[1], int(bools[0]) + int(bools[1]),
            len(ints) * 100 + len(floats) * 10 + len(bools))
