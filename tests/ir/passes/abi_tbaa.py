# cfuncc: --function acc
# RUN: cfunc-opt %s --function acc --pass-pipeline='builtin.module(cfunc-resolve,cfunc-lower-arith,cfunc-lower-lifecycle,cfunc-lower-faults,cfunc-lower-io,cfunc-lower-state)' | FileCheck %s
# Pointer-array loads and value-cell accesses carry different TBAA tags, so
# LLVM forwards the stored state instead of reloading state[0] and *state[0].
# CHECK-LABEL: func.func private @acc.execute
# CHECK: llvm.load %arg4 {tbaa = [#[[SLOT:tbaa_tag[0-9]*]]]} : !llvm.ptr -> !llvm.ptr
# CHECK: llvm.load %{{.*}} {tbaa = [#[[CELL:tbaa_tag[0-9]*]]]} : !llvm.ptr -> i64
# CHECK: llvm.store %{{.*}}, %{{.*}} {tbaa = [#[[CELL]]]} : i64, !llvm.ptr
def acc(x: Signal[int]) -> Signal[int]:
    total: State[int] = 100
    total = total + x
    return total
