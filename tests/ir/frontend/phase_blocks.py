# cfuncc: --function acc
# RUN: cfunc-opt %s --function acc | FileCheck %s
# A top-level `with start():` block is lowered into START after the states'
# initial values, in blocks of its own; `with stop():` into STOP before the
# containers are freed, and only while they are live (STOP twice skips it).
# BLESS: CHECK @acc.start(
# BLESS: CHECK @acc.stop(
# run: [1] -> [201]
# run: [2] -> [203]
# run: {"phase": "stop"}
# run: {"phase": "start"}
# run: [5] -> [205]
def acc(x: Signal[int]) -> Signal[int]:
    total: State[int] = 100
    seen: State[NumbaList] = create_new_list(int)
    with start():
        total = total * 2
        seen.append(total)
    with stop():
        total = len(seen)
    total = total + x
    seen.append(x)
    return total

# CHECK-LABEL: func.func private @acc.start(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %0 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.list<i64>
# CHECK-NEXT: "cfunc.free"(%0) : (!cfunc.list<i64>) -> ()
# CHECK-NEXT: %1 = "cfunc.list_new"() : () -> !cfunc.list<i64>
# CHECK-NEXT: "cfunc.state_store"(%arg2, %1) {slot = 0 : i64} : (!llvm.ptr, !cfunc.list<i64>) -> ()
# CHECK-NEXT: %c100_i64 = arith.constant 100 : i64
# CHECK-NEXT: "cfunc.state_store"(%arg2, %c100_i64) {slot = 1 : i64} : (!llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %2 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.list<i64>
# CHECK-NEXT: %3 = "cfunc.is_live"(%2) : (!cfunc.list<i64>) -> i1
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %4 = arith.xori %3, %true : i1
# CHECK-NEXT: "cfunc.check"(%4) {code = 9 : i32} : (i1) -> ()
# CHECK-NEXT: %5 = "cfunc.state_load"(%arg2) {slot = 1 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %c2_i64 = arith.constant 2 : i64
# CHECK-NEXT: %6 = arith.muli %5, %c2_i64 : i64
# CHECK-NEXT: "cfunc.state_store"(%arg2, %6) {slot = 1 : i64} : (!llvm.ptr, i64) -> ()
# CHECK-NEXT: %7 = "cfunc.state_load"(%arg2) {slot = 1 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: "cfunc.list_append"(%2, %7) : (!cfunc.list<i64>, i64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
# CHECK-LABEL: func.func private @acc.stop(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %0 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.list<i64>
# CHECK-NEXT: %1 = "cfunc.is_live"(%0) : (!cfunc.list<i64>) -> i1
# CHECK-NEXT: cf.cond_br %1, ^bb2, ^bb3
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: %2 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.list<i64>
# CHECK-NEXT: %3 = "cfunc.len"(%2) : (!cfunc.list<i64>) -> i64
# CHECK-NEXT: "cfunc.state_store"(%arg2, %3) {slot = 1 : i64} : (!llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb3
# CHECK-NEXT: ^bb3:  // 2 preds: ^bb1, ^bb2
# CHECK-NEXT: %4 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.list<i64>
# CHECK-NEXT: "cfunc.free"(%4) : (!cfunc.list<i64>) -> ()
# CHECK-NEXT: %5 = llvm.mlir.zero : !llvm.ptr
# CHECK-NEXT: %6 = builtin.unrealized_conversion_cast %5 : !llvm.ptr to !cfunc.list<i64>
# CHECK-NEXT: "cfunc.state_store"(%arg2, %6) {slot = 0 : i64} : (!llvm.ptr, !cfunc.list<i64>) -> ()
# CHECK-NEXT: return
# CHECK-NEXT: }
