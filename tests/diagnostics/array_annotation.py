# cfuncc: --function bad_annotation
# NumbaArray takes an element type and a length.
def bad_annotation(value: Signal[int], values: NumbaArray[int]) -> Signal[int]:
    return value
