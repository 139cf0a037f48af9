# cfuncc: --function fault_input_not_valid
# Reading an input's value while it is not valid faults (code 14); testing
# valid(x) first, or assigning the parameter first, does not.
def fault_input_not_valid(a: Signal[int], b: Signal[float], c: Signal[int]) -> Outputs(x=int, y=float, z=int):
    n: State[int] = 0
    n += 1
    y = 0.0
    if valid(b):
        y = b * 2.0
    if n == 4:
        c = 7
    if n >= 4:
        c += 1
    if n == 6:
        return a, y, c
    return a + n, y, c * 2
