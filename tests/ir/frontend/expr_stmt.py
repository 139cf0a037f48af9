# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# An expression statement is evaluated for its effects: set_output writes
# and ticks the output at once; a value nobody uses is dropped.
# BLESS: CHECK @f.execute(
# run: [4] -> {"a": 4, "b": 8}
def f(x: Signal[int]) -> Outputs(a=int, b=int):
    set_output("a", x)
    x + 1
    return None, x * 2

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %0 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %1 = "cfunc.guarded_input"(%arg4, %0) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %2 = arith.xori %0, %true : i1
# CHECK-NEXT: "cfunc.check"(%2) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %1) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: %true_0 = arith.constant true
# CHECK-NEXT: %3 = arith.xori %0, %true_0 : i1
# CHECK-NEXT: "cfunc.check"(%3) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %4 = arith.addi %1, %c1_i64 : i64
# CHECK-NEXT: %true_1 = arith.constant true
# CHECK-NEXT: %5 = arith.xori %0, %true_1 : i1
# CHECK-NEXT: "cfunc.check"(%5) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c2_i64 = arith.constant 2 : i64
# CHECK-NEXT: %6 = arith.muli %1, %c2_i64 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %6) {index = 1 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
