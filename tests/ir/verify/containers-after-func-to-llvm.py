# cfuncc: --function acc
# RUN: not cfunc-opt %s --function acc --pass-pipeline='builtin.module(convert-func-to-llvm,cfunc-lower-containers,cfunc-lower-lifecycle)' 2>&1 | FileCheck %s
# Found by `make fuzz` (mutfuzz): cfunc-lower-containers after
# convert-func-to-llvm looked for a func.func around each container op and
# crashed; it now works in an llvm.func, and the pipeline stops with a
# located error at cfunc-lower-lifecycle.
# CHECK: error: phase function @acc.execute is a llvm.func, not a func.func
def acc(k: Signal[int], v: Signal[float]) -> Signal[float]:
    sums: State[NumbaDict] = create_new_dict(int, float)
    sums[k] = sums.get(k, 0.0) + v
    return sums[k]
