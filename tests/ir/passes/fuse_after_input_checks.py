# cfuncc: --function acc
# RUN: cfunc-opt %s --function acc --emit-stage cfunc-fuse-dict-updates | FileCheck %s
# Reading an input checks its valid flag (a cfunc.check between the get and
# the set); the check does not depend on the get, so the update still fuses
# into one probe, and with a default the checks move above it: a fault
# leaves the dict untouched.
# CHECK-LABEL: func.func private @acc.execute
# CHECK-NOT: "cfunc.dict_get"
# CHECK: "cfunc.check"
# CHECK: "cfunc.check"
# CHECK: "cfunc.dict_slot"
# CHECK-NOT: "cfunc.check"
# CHECK-NOT: "cfunc.dict_get"
# CHECK: llvm.store
# CHECK: return
# run: [1, 2.5] -> [2.5]
# run: [1, 0.5] -> [3.0]
# run: {"inputs": [1, 9.0], "valid": [true, false]} -> {"error": {"code": 14, "line": 22}}
# run: [1, 1.0] -> [4.0]
def acc(k: Signal[int], v: Signal[float]) -> Signal[float]:
    sums: State[NumbaDict] = create_new_dict(int, float)
    sums[k] = sums.get(k, 0.0) + v
    return sums[k]
