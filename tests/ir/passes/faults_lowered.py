# cfuncc: --function f
# RUN: cfunc-opt %s --function f --pass-pipeline='cfunc-lower-faults' | FileCheck %s
# CHECK-LABEL: func.func private @f.execute
# CHECK-NOT: cfunc.check
# CHECK: cf.cond_br %{{.*}}, ^[[FAULT:bb[0-9]+]], ^[[REST:bb[0-9]+]]
# CHECK: ^[[FAULT]]:
# CHECK: llvm.mlir.addressof @__cfunc_fault
# COM: code 1 (negative shift) at line 20, column 12 of this file
# CHECK-DAG: arith.constant 1 : i32
# CHECK-DAG: arith.constant 20 : i32
# CHECK-DAG: arith.constant 12 : i32
# COM: the fault leaves through the exit block, which frees tick-local containers
# CHECK: cf.br ^[[EXIT:bb[0-9]+]]
# CHECK: ^[[REST]]:
# CHECK: "cfunc.shl"
# CHECK: llvm.mlir.global internal @__cfunc_fault
def f(x: Signal[int], n: Signal[int]) -> Signal[int]:
    y = 1
    z = 2
    return x << n
