# cfuncc: --function classify
# RUN: cfunc-opt %s --function classify | FileCheck %s
# if/elif/else: a cf.cond_br per test; each branch that returns writes the
# output and jumps to the exit block.
# BLESS: CHECK @classify.execute(
# run: [11] -> [2]
# run: [5] -> [1]
# run: [-1] -> [0]
def classify(x: Signal[int]) -> Signal[int]:
    if x > 10:
        return 2
    elif x > 0:
        return 1
    else:
        return 0

# CHECK-LABEL: func.func private @classify.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %0 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %1 = "cfunc.guarded_input"(%arg4, %0) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %2 = arith.xori %0, %true : i1
# CHECK-NEXT: "cfunc.check"(%2) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c10_i64 = arith.constant 10 : i64
# CHECK-NEXT: %3 = arith.cmpi sgt, %1, %c10_i64 : i64
# CHECK-NEXT: cf.cond_br %3, ^bb3, ^bb4
# CHECK-NEXT: ^bb2:  // no predecessors
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb3:  // pred: ^bb1
# CHECK-NEXT: %c2_i64 = arith.constant 2 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %c2_i64) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb4:  // pred: ^bb1
# CHECK-NEXT: %true_0 = arith.constant true
# CHECK-NEXT: %4 = arith.xori %0, %true_0 : i1
# CHECK-NEXT: "cfunc.check"(%4) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: %5 = arith.cmpi sgt, %1, %c0_i64 : i64
# CHECK-NEXT: cf.cond_br %5, ^bb5, ^bb6
# CHECK-NEXT: ^bb5:  // pred: ^bb4
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %c1_i64) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb6:  // pred: ^bb4
# CHECK-NEXT: %c0_i64_1 = arith.constant 0 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %c0_i64_1) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb7:  // 4 preds: ^bb2, ^bb3, ^bb5, ^bb6
# CHECK-NEXT: return
# CHECK-NEXT: }
