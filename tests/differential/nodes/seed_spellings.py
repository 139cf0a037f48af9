# cfuncc: --function spelled --const 'w=(2, 3, 5)'
# The seed's spellings: imports from numba_cfunc_compiler, @numba_node,
# x.ticked() / x.valid() as methods, and a tuple for a list constant.
from numba_cfunc_compiler.api import Signal, numba_node
from numba_cfunc_compiler.node_api import NumbaList


@numba_node
def spelled(x: Signal[int], y: Signal[int], w: NumbaList[int]) -> Signal[int]:
    total = 0
    for v in w:
        total += v
    if x.ticked() and y.valid():
        return x * total + y
    if ticked(x):
        return x
    return None
