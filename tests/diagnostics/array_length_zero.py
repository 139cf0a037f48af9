# cfuncc: --function bad_length
# The seed's tests/test_arrays.py bad_length: the length must be a positive
# compile-time integer.
def bad_length(value: Signal[int]) -> Signal[int]:
    values: State[NumbaArray] = create_new_array(int, 0)
    return value + len(values)
