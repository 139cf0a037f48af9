# cfuncc: --function and_or_values
def and_or_values(a: Signal[int], b: Signal[int], c: Signal[int]) -> Outputs(and_=int, or_=int, mix=int):
    x = a and b
    y = a or b or c
    z = (a and b) or c
    return x, y, z
