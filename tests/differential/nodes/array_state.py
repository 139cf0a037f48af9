# cfuncc: --function state_array
# The seed's tests/test_arrays.py state_array: host-backed int array state,
# read and written through run-time and negative indices; an index out of
# range faults (5) and the array keeps what was stored before.
from numba_cfunc_compiler.api import NumbaArray, State, create_new_array


def state_array(index: Signal[int], value: Signal[int]) -> Signal[int]:
    values: State[NumbaArray] = create_new_array(int, 4)
    values[index] = values[index] + value
    return values[-1] + values[index] + len(values)
