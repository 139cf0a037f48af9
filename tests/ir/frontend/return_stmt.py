# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# `return v` writes and ticks the output, then leaves through the exit
# block; a bare `return` (or a None element) leaves it un-ticked.
# BLESS: CHECK @f.execute(
# run: [-1] -> {"a": null, "b": null}
# run: [0] -> {"a": 0, "b": null}
# run: [5] -> {"a": 5, "b": 6}
def f(x: Signal[int]) -> Outputs(a=int, b=int):
    if x < 0:
        return
    if x == 0:
        return x, None
    return x, x + 1

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %0 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %1 = "cfunc.guarded_input"(%arg4, %0) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %2 = arith.xori %0, %true : i1
# CHECK-NEXT: "cfunc.check"(%2) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: %3 = arith.cmpi slt, %1, %c0_i64 : i64
# CHECK-NEXT: cf.cond_br %3, ^bb3, ^bb4
# CHECK-NEXT: ^bb2:  // pred: ^bb4
# CHECK-NEXT: %true_0 = arith.constant true
# CHECK-NEXT: %4 = arith.xori %0, %true_0 : i1
# CHECK-NEXT: "cfunc.check"(%4) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c0_i64_1 = arith.constant 0 : i64
# CHECK-NEXT: %5 = arith.cmpi eq, %1, %c0_i64_1 : i64
# CHECK-NEXT: cf.cond_br %5, ^bb6, ^bb7
# CHECK-NEXT: ^bb3:  // pred: ^bb1
# CHECK-NEXT: cf.br ^bb8
# CHECK-NEXT: ^bb4:  // pred: ^bb1
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb5:  // pred: ^bb7
# CHECK-NEXT: %true_2 = arith.constant true
# CHECK-NEXT: %6 = arith.xori %0, %true_2 : i1
# CHECK-NEXT: "cfunc.check"(%6) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %true_3 = arith.constant true
# CHECK-NEXT: %7 = arith.xori %0, %true_3 : i1
# CHECK-NEXT: "cfunc.check"(%7) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %8 = arith.addi %1, %c1_i64 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %1) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %8) {index = 1 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb8
# CHECK-NEXT: ^bb6:  // pred: ^bb2
# CHECK-NEXT: %true_4 = arith.constant true
# CHECK-NEXT: %9 = arith.xori %0, %true_4 : i1
# CHECK-NEXT: "cfunc.check"(%9) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %1) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb8
# CHECK-NEXT: ^bb7:  // pred: ^bb2
# CHECK-NEXT: cf.br ^bb5
# CHECK-NEXT: ^bb8:  // 3 preds: ^bb3, ^bb5, ^bb6
# CHECK-NEXT: return
# CHECK-NEXT: }
