# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# An annotated local converts its value to the annotation; an annotated
# State is a slot initialised in START and loaded and stored in EXECUTE.
# BLESS: CHECK @f.start(
# BLESS: CHECK @f.execute(
# run: [3] -> [3.0]
# run: [4] -> [2.0]
def f(x: Signal[int]) -> Signal[float]:
    y: float = x
    count: State[int] = 0
    count += 1
    return y / count

# CHECK-LABEL: func.func private @f.start(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: "cfunc.state_store"(%arg2, %c0_i64) {slot = 0 : i64} : (!llvm.ptr, i64) -> ()
# CHECK-NEXT: return
# CHECK-NEXT: }
# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x f64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %cst = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst, %0 : f64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %1 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %2 = "cfunc.guarded_input"(%arg4, %1) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %3 = arith.xori %1, %true : i1
# CHECK-NEXT: "cfunc.check"(%3) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %4 = arith.sitofp %2 : i64 to f64
# CHECK-NEXT: llvm.store %4, %0 : f64, !llvm.ptr
# CHECK-NEXT: %5 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %6 = arith.addi %5, %c1_i64 : i64
# CHECK-NEXT: "cfunc.state_store"(%arg2, %6) {slot = 0 : i64} : (!llvm.ptr, i64) -> ()
# CHECK-NEXT: %7 = llvm.load %0 : !llvm.ptr -> f64
# CHECK-NEXT: %8 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %9 = arith.sitofp %8 : i64 to f64
# CHECK-NEXT: %10 = arith.divf %7, %9 : f64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %10) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
