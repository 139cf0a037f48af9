# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# `del d[k]` is cfunc.dict_pop with its result unused (a missing key is
# fault 7, as KeyError is in Python).
# BLESS: CHECK @f.execute(
# run: [3] -> [1]
# run: [7] -> [1]
# run: [7] -> [1]
def f(k: Signal[int]) -> Signal[int]:
    d: State[NumbaDict] = create_new_dict(int, int)
    d[k] = k
    if k > 5:
        del d[k]
    return len(d)

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %0 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.dict<i64, i64>
# CHECK-NEXT: %1 = "cfunc.is_live"(%0) : (!cfunc.dict<i64, i64>) -> i1
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %2 = arith.xori %1, %true : i1
# CHECK-NEXT: "cfunc.check"(%2) {code = 9 : i32} : (i1) -> ()
# CHECK-NEXT: %3 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %4 = "cfunc.guarded_input"(%arg4, %3) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %true_0 = arith.constant true
# CHECK-NEXT: %5 = arith.xori %3, %true_0 : i1
# CHECK-NEXT: "cfunc.check"(%5) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %true_1 = arith.constant true
# CHECK-NEXT: %6 = arith.xori %3, %true_1 : i1
# CHECK-NEXT: "cfunc.check"(%6) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: "cfunc.dict_set"(%0, %4, %4) : (!cfunc.dict<i64, i64>, i64, i64) -> ()
# CHECK-NEXT: %true_2 = arith.constant true
# CHECK-NEXT: %7 = arith.xori %3, %true_2 : i1
# CHECK-NEXT: "cfunc.check"(%7) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c5_i64 = arith.constant 5 : i64
# CHECK-NEXT: %8 = arith.cmpi sgt, %4, %c5_i64 : i64
# CHECK-NEXT: cf.cond_br %8, ^bb3, ^bb4
# CHECK-NEXT: ^bb2:  // 2 preds: ^bb3, ^bb4
# CHECK-NEXT: %9 = "cfunc.len"(%0) : (!cfunc.dict<i64, i64>) -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %9) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb1
# CHECK-NEXT: %true_3 = arith.constant true
# CHECK-NEXT: %10 = arith.xori %3, %true_3 : i1
# CHECK-NEXT: "cfunc.check"(%10) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %11 = "cfunc.dict_pop"(%0, %4) : (!cfunc.dict<i64, i64>, i64) -> i64
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb4:  // pred: ^bb1
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: return
# CHECK-NEXT: }
