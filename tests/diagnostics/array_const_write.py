# cfuncc: --function mutate_constant_array --const values=[1,2,3]
# The seed's tests/test_arrays.py mutate_constant_array and
# clear_constant_array: a constant array parameter is read-only, through
# an alias too.
def mutate_constant_array(value: Signal[int], values: NumbaArray[int, 3]) -> Signal[int]:
    alias = values
    alias[0] = value
    values[1] += value
    alias.clear()
    return alias[0]
