# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# An import inside the node emits nothing; the module's functions become
# cfunc.call ops that cfunc-resolve lowers.
# BLESS: CHECK @f.execute(
# run: [2.5] -> [2.0]
# run: [-2.5] -> [-3.0]
def f(x: Signal[float]) -> Signal[float]:
    import math
    return math.floor(x)

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %0 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %1 = "cfunc.guarded_input"(%arg4, %0) {index = 0 : i64} : (!llvm.ptr, i1) -> f64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %2 = arith.xori %0, %true : i1
# CHECK-NEXT: "cfunc.check"(%2) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %3 = "cfunc.call"(%1) {callee = "math.floor", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> i64
# CHECK-NEXT: %4 = arith.sitofp %3 : i64 to f64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %4) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
