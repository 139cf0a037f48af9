# cfuncc: --function bad_index
# The seed's tests/test_arrays.py bad_index and bad_folded_index: a
# constant index out of range, written plainly, folded, from a module
# constant, negative, and in a store and an update.
K = 7


def bad_index(value: Signal[int]) -> Signal[int]:
    values: State[NumbaArray] = create_new_array(int, 2)
    a = values[2] + value
    b = values[1 + 1] + value
    c = values[K - 5]
    values[-3] = value
    values[len(values)] += 1
    return a + b + c
