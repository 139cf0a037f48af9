# cfuncc: --function f
# RUN: cfunc-opt %s --function f --pass-pipeline='cfunc-lower-faults' | FileCheck %s
# CHECK-LABEL: func.func private @f.execute
# CHECK-NOT: cfunc.check
# COM: reading x and n first checks that each is valid (code 14)
# CHECK: arith.constant 14 : i32
# CHECK: arith.constant 14 : i32
# CHECK: cf.cond_br %{{.*}}, ^[[FAULT:bb[0-9]+]], ^[[REST:bb[0-9]+]]
# CHECK: ^[[FAULT]]:
# CHECK: llvm.mlir.addressof @__cfunc_fault
# COM: code 1 (negative shift) at line 23, column 12 of this file
# CHECK-DAG: arith.constant 1 : i32
# CHECK-DAG: arith.constant 23 : i32
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
