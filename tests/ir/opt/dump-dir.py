# RUN: rm -rf %t && CFUNCC_DUMP_DIR=%t cfuncc compile %s --function f -o %t.so && ls %t | FileCheck %s
# RUN: cfunc-opt %t/00-cfunc.mlir | diff %t/00-cfunc.mlir -
# RUN: cfunc-opt %t/00-cfunc.mlir --emit-stage cfunc-lower-arith | diff %t/02-cfunc-lower-arith.mlir -
# RUN: cfunc-opt %t/00-cfunc.mlir --emit-stage llvm-dialect | diff %t/12-llvm-dialect.mlir -
# RUN: grep -q 'define void @_gc_numba_' %t/13-llvm-ir.ll && grep -q '_gc_numba_.*:' %t/15-asm.s
# CFUNCC_DUMP_DIR: cfuncc writes every stage, numbered in pipeline order;
# each MLIR stage is what cfunc-opt gives from the first.
# BLESS: CHECK
# The dumps carry no locations, so the node has no fault (a located check):
# it counts x's ticks without reading its value.
def f(x: Signal[float]) -> Signal[float]:
    s: State[float] = 0.0
    if ticked(x):
        s = s + 1.0
    return s

# CHECK: 00-cfunc.mlir
# CHECK-NEXT: 01-cfunc-resolve.mlir
# CHECK-NEXT: 02-cfunc-lower-arith.mlir
# CHECK-NEXT: 03-cfunc-simplify-containers.mlir
# CHECK-NEXT: 04-cfunc-fuse-dict-updates.mlir
# CHECK-NEXT: 05-cfunc-lower-containers.mlir
# CHECK-NEXT: 06-cfunc-lower-arrays.mlir
# CHECK-NEXT: 07-cfunc-lower-lifecycle.mlir
# CHECK-NEXT: 08-cfunc-lower-faults.mlir
# CHECK-NEXT: 09-cfunc-lower-io.mlir
# CHECK-NEXT: 10-cfunc-lower-state.mlir
# CHECK-NEXT: 11-cfunc-to-llvm.mlir
# CHECK-NEXT: 12-llvm-dialect.mlir
# CHECK-NEXT: 13-llvm-ir.ll
# CHECK-NEXT: 14-llvm-ir-opt.ll
# CHECK-NEXT: 15-asm.s
