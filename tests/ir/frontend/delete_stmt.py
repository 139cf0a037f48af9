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
# CHECK-NEXT: %1 = "cfunc.is_null"(%0) : (!cfunc.dict<i64, i64>) -> i1
# CHECK-NEXT: "cfunc.check"(%1) {code = 9 : i32} : (i1) -> ()
# CHECK-NEXT: %2 = "cfunc.input_value"(%arg4) {index = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: "cfunc.dict_set"(%0, %2, %2) : (!cfunc.dict<i64, i64>, i64, i64) -> ()
# CHECK-NEXT: %c5_i64 = arith.constant 5 : i64
# CHECK-NEXT: %3 = arith.cmpi sgt, %2, %c5_i64 : i64
# CHECK-NEXT: cf.cond_br %3, ^bb3, ^bb4
# CHECK-NEXT: ^bb2:  // 2 preds: ^bb3, ^bb4
# CHECK-NEXT: %4 = "cfunc.len"(%0) : (!cfunc.dict<i64, i64>) -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %4) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb1
# CHECK-NEXT: %5 = "cfunc.dict_pop"(%0, %2) : (!cfunc.dict<i64, i64>, i64) -> i64
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb4:  // pred: ^bb1
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: return
# CHECK-NEXT: }
