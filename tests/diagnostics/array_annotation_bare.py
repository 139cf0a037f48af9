# cfuncc: --function bare --const values=[1,2]
# A constant array parameter must say its element type and length.
def bare(value: Signal[int], values: NumbaArray) -> Signal[int]:
    return value
