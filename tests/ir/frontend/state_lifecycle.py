# cfuncc: --function acc
# RUN: cfunc-opt %s --function acc | FileCheck %s
# A node is three phase functions named by cfunc.lifecycle: START stores
# each state's initial value, EXECUTE runs the body, STOP frees containers.
# BLESS: CHECK "cfunc.lifecycle"
# BLESS: CHECK @acc.start(
# BLESS: CHECK @acc.stop(
# BLESS: CHECK @acc.execute(
# run: [1] -> [101]
# run: [2] -> [103]
# run: {"phase": "stop"}
# run: {"phase": "start"}
# run: [5] -> [105]
def acc(x: Signal[int]) -> Signal[int]:
    total: State[int] = 100
    total = total + x
    return total

# CHECK-LABEL: "cfunc.lifecycle"() {execute = @acc.execute, node = "acc", start = @acc.start, stop = @acc.stop} : () -> ()
# CHECK-LABEL: func.func private @acc.start(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c100_i64 = arith.constant 100 : i64
# CHECK-NEXT: "cfunc.state_store"(%arg2, %c100_i64) {slot = 0 : i64} : (!llvm.ptr, i64) -> ()
# CHECK-NEXT: return
# CHECK-NEXT: }
# CHECK-LABEL: func.func private @acc.stop(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: return
# CHECK-NEXT: }
# CHECK-LABEL: func.func private @acc.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %0 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %1 = "cfunc.guarded_input"(%arg4, %0) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %2 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %3 = arith.xori %0, %true : i1
# CHECK-NEXT: "cfunc.check"(%3) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %4 = arith.addi %2, %1 : i64
# CHECK-NEXT: "cfunc.state_store"(%arg2, %4) {slot = 0 : i64} : (!llvm.ptr, i64) -> ()
# CHECK-NEXT: %5 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %5) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
