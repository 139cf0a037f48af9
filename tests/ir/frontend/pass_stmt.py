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
# CHECK-NEXT: %c1_i32_0 = arith.constant 1 : i32
# CHECK-NEXT: %1 = llvm.alloca %c1_i32_0 x i1 : (i32) -> !llvm.ptr
# CHECK-NEXT: %false = arith.constant false
# CHECK-NEXT: llvm.store %false, %1 : i1, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %2 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %3 = "cfunc.guarded_input"(%arg4, %2) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: llvm.store %3, %0 : i64, !llvm.ptr
# CHECK-NEXT: llvm.store %2, %1 : i1, !llvm.ptr
# CHECK-NEXT: %4 = llvm.load %1 : !llvm.ptr -> i1
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %5 = arith.xori %4, %true : i1
# CHECK-NEXT: "cfunc.check"(%5) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %6 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %c0_i64_1 = arith.constant 0 : i64
# CHECK-NEXT: %7 = arith.cmpi sgt, %6, %c0_i64_1 : i64
# CHECK-NEXT: cf.cond_br %7, ^bb3, ^bb4
# CHECK-NEXT: ^bb2:  // 2 preds: ^bb3, ^bb4
# CHECK-NEXT: %8 = llvm.load %1 : !llvm.ptr -> i1
# CHECK-NEXT: %true_2 = arith.constant true
# CHECK-NEXT: %9 = arith.xori %8, %true_2 : i1
# CHECK-NEXT: "cfunc.check"(%9) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %10 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %10) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb1
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb4:  // pred: ^bb1
# CHECK-NEXT: %11 = llvm.load %1 : !llvm.ptr -> i1
# CHECK-NEXT: %true_3 = arith.constant true
# CHECK-NEXT: %12 = arith.xori %11, %true_3 : i1
# CHECK-NEXT: "cfunc.check"(%12) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %13 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %c0_i64_4 = arith.constant 0 : i64
# CHECK-NEXT: %14 = arith.subi %c0_i64_4, %13 : i64
# CHECK-NEXT: llvm.store %14, %0 : i64, !llvm.ptr
# CHECK-NEXT: %true_5 = arith.constant true
# CHECK-NEXT: llvm.store %true_5, %1 : i1, !llvm.ptr
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: return
# CHECK-NEXT: }
