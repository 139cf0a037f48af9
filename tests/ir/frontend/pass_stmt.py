# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# `pass` emits nothing: the branch holding it falls through to the join.
# BLESS: CHECK @f.execute(
# run: [5] -> [5]
# run: [-5] -> [5]
def f(x: Signal[int]) -> Signal[int]:
    if x > 0:
        pass
    else:
        x = -x
    return x

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64, %0 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %1 = "cfunc.input_value"(%arg4) {index = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: llvm.store %1, %0 : i64, !llvm.ptr
# CHECK-NEXT: %2 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %c0_i64_0 = arith.constant 0 : i64
# CHECK-NEXT: %3 = arith.cmpi sgt, %2, %c0_i64_0 : i64
# CHECK-NEXT: cf.cond_br %3, ^bb3, ^bb4
# CHECK-NEXT: ^bb2:  // 2 preds: ^bb3, ^bb4
# CHECK-NEXT: %4 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %4) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb1
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb4:  // pred: ^bb1
# CHECK-NEXT: %5 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %c0_i64_1 = arith.constant 0 : i64
# CHECK-NEXT: %6 = arith.subi %c0_i64_1, %5 : i64
# CHECK-NEXT: llvm.store %6, %0 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: return
# CHECK-NEXT: }
