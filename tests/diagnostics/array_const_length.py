# cfuncc: --function constant_array --const values=[1,2]
# The seed's tests/test_arrays.py: a constant array given the wrong number
# of elements ("expected 3 elements").
def constant_array(value: Signal[int], values: NumbaArray[int, 3]) -> Signal[int]:
    total = 0
    for item in values:
        total += item
    return total + value + len(values)
