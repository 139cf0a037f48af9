# RUN: cfunc-opt %s --function f --pass-pipeline='builtin.module(cfunc-resolve,cfunc-lower-arith,cfunc-lower-lifecycle,cfunc-lower-io,inline,symbol-dce,func.func(canonicalize,cse))' | FileCheck %s
# cfunc passes and upstream passes in one pipeline. Once the cfunc ops of
# the phase functions are lowered, `inline` moves them into the exported
# function (IRDL ops have no inliner interface, so not before), canonicalize
# drops the empty START and STOP cases, and CSE merges the two `x // 4`.
# BLESS: CHECK func.func @f(
def f(x: Signal[int]) -> Signal[int]:
    return x // 4 + x // 4 + abs(x)

# CHECK-LABEL: func.func @f(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c4_i64 = arith.constant 4 : i64
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %c1_i8 = arith.constant 1 : i8
# CHECK-NEXT: cf.switch %arg3 : i8, [
# CHECK-NEXT: default: ^bb1,
# CHECK-NEXT: 0: ^bb2
# CHECK-NEXT: ]
# CHECK-NEXT: ^bb1:  // 2 preds: ^bb0, ^bb2
# CHECK-NEXT: return
# CHECK-NEXT: ^bb2:  // pred: ^bb0
# CHECK-NEXT: %0 = llvm.load %arg4 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
# CHECK-NEXT: %1 = llvm.load %0 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> i64
# CHECK-NEXT: %2 = arith.divsi %1, %c4_i64 : i64
# CHECK-NEXT: %3 = arith.remsi %1, %c4_i64 : i64
# CHECK-NEXT: %4 = arith.cmpi ne, %3, %c0_i64 : i64
# CHECK-NEXT: %5 = arith.cmpi slt, %3, %c0_i64 : i64
# CHECK-NEXT: %6 = arith.andi %4, %5 : i1
# CHECK-NEXT: %7 = arith.subi %2, %c1_i64 : i64
# CHECK-NEXT: %8 = arith.select %6, %7, %2 : i64
# CHECK-NEXT: %9 = arith.addi %8, %8 : i64
# CHECK-NEXT: %10 = arith.cmpi slt, %1, %c0_i64 : i64
# CHECK-NEXT: %11 = arith.subi %c0_i64, %1 : i64
# CHECK-NEXT: %12 = arith.select %10, %11, %1 : i64
# CHECK-NEXT: %13 = arith.addi %9, %12 : i64
# CHECK-NEXT: %14 = llvm.load %arg0 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
# CHECK-NEXT: llvm.store %13, %14 {tbaa = [#tbaa_tag1]} : i64, !llvm.ptr
# CHECK-NEXT: llvm.store %c1_i8, %arg1 : i8, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: }
