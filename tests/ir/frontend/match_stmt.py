# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# `match` tests its cases in order: a literal is an equality, `|` an or,
# `_` the default.
# BLESS: CHECK @f.execute(
# run: [0] -> [10]
# run: [2] -> [20]
# run: [9] -> [30]
def f(x: Signal[int]) -> Signal[int]:
    match x:
        case 0:
            return 10
        case 1 | 2:
            return 20
        case _:
            return 30

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %0 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %1 = "cfunc.guarded_input"(%arg4, %0) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %2 = arith.xori %0, %true : i1
# CHECK-NEXT: "cfunc.check"(%2) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: %3 = arith.cmpi eq, %1, %c0_i64 : i64
# CHECK-NEXT: cf.cond_br %3, ^bb3, ^bb4
# CHECK-NEXT: ^bb2:  // pred: ^bb8
# CHECK-NEXT: cf.br ^bb9
# CHECK-NEXT: ^bb3:  // pred: ^bb1
# CHECK-NEXT: %c10_i64 = arith.constant 10 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %c10_i64) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb9
# CHECK-NEXT: ^bb4:  // pred: ^bb1
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %4 = arith.cmpi eq, %1, %c1_i64 : i64
# CHECK-NEXT: %c2_i64 = arith.constant 2 : i64
# CHECK-NEXT: %5 = arith.cmpi eq, %1, %c2_i64 : i64
# CHECK-NEXT: %6 = arith.ori %4, %5 : i1
# CHECK-NEXT: cf.cond_br %6, ^bb5, ^bb6
# CHECK-NEXT: ^bb5:  // pred: ^bb4
# CHECK-NEXT: %c20_i64 = arith.constant 20 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %c20_i64) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb9
# CHECK-NEXT: ^bb6:  // pred: ^bb4
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb7:  // pred: ^bb6
# CHECK-NEXT: %c30_i64 = arith.constant 30 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %c30_i64) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb9
# CHECK-NEXT: ^bb8:  // no predecessors
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb9:  // 4 preds: ^bb2, ^bb3, ^bb5, ^bb7
# CHECK-NEXT: return
# CHECK-NEXT: }
