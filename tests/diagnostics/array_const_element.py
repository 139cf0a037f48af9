# cfuncc: --function constant_array --const values=[1,2.5,3]
# A constant array's elements must fit its element type.
def constant_array(value: Signal[int], values: NumbaArray[int, 3]) -> Signal[int]:
    return values[0] + value
