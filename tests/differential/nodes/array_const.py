# cfuncc: --function constant_array --const 'values=[1, 2, 3]'
# The seed's tests/test_arrays.py constant_array: a constant array
# parameter (static data), iterated, its len a constant, read through an
# alias and by negative index; the default of a second one is a tuple.
def constant_array(value: Signal[int], values: NumbaArray[int, 3], scale: NumbaArray[float, 2] = (0.5, -1.5)) -> Signal[float]:
    total = 0
    for item in values:
        total += item
    alias = values
    first = alias[0] * scale[value % 2] + scale[-1]
    return total + value + len(values) + first + values[-3]
