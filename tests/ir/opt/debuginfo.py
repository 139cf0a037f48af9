# RUN: cfunc-opt %s --function f --mlir-print-debuginfo | FileCheck %s
# Every op carries the Python file:line:col it came from.
# BLESS: CHECK
def f(x: Signal[float]) -> Signal[float]:
    y = x * 2.0
    return y + 1.0

# CHECK: #loc = loc(unknown)
# CHECK-NEXT: module attributes {cfunc.fault_slot = 0 : i64} {
# CHECK-NEXT: "cfunc.lifecycle"() {execute = @f.execute, node = "f", start = @f.start, stop = @f.stop} : () -> () loc(#loc)
# CHECK-NEXT: func.func private @f.start(%arg0: !llvm.ptr {llvm.name = "outputs"} loc(unknown), %arg1: !llvm.ptr {llvm.name = "output_ticked"} loc(unknown), %arg2: !llvm.ptr {llvm.name = "state"} loc(unknown), %arg3: i8 {llvm.name = "lifecycle_phase"} loc(unknown), %arg4: !llvm.ptr {llvm.name = "inputs"} loc(unknown), %arg5: !llvm.ptr {llvm.name = "input_ticked"} loc(unknown), %arg6: !llvm.ptr {llvm.name = "input_valid"} loc(unknown)) {
# CHECK-NEXT: return loc(#loc)
# CHECK-NEXT: } loc(#loc)
# CHECK-NEXT: func.func private @f.stop(%arg0: !llvm.ptr {llvm.name = "outputs"} loc(unknown), %arg1: !llvm.ptr {llvm.name = "output_ticked"} loc(unknown), %arg2: !llvm.ptr {llvm.name = "state"} loc(unknown), %arg3: i8 {llvm.name = "lifecycle_phase"} loc(unknown), %arg4: !llvm.ptr {llvm.name = "inputs"} loc(unknown), %arg5: !llvm.ptr {llvm.name = "input_ticked"} loc(unknown), %arg6: !llvm.ptr {llvm.name = "input_valid"} loc(unknown)) {
# CHECK-NEXT: return loc(#loc)
# CHECK-NEXT: } loc(#loc)
# CHECK-NEXT: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"} loc(unknown), %arg1: !llvm.ptr {llvm.name = "output_ticked"} loc(unknown), %arg2: !llvm.ptr {llvm.name = "state"} loc(unknown), %arg3: i8 {llvm.name = "lifecycle_phase"} loc(unknown), %arg4: !llvm.ptr {llvm.name = "inputs"} loc(unknown), %arg5: !llvm.ptr {llvm.name = "input_ticked"} loc(unknown), %arg6: !llvm.ptr {llvm.name = "input_valid"} loc(unknown)) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32 loc(#loc1)
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x f64 : (i32) -> !llvm.ptr loc(#loc1)
# CHECK-NEXT: %cst = arith.constant 0.000000e+00 : f64 loc(#loc1)
# CHECK-NEXT: llvm.store %cst, %0 : f64, !llvm.ptr loc(#loc1)
# CHECK-NEXT: cf.br ^bb1 loc(#loc)
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %1 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1 loc(#loc)
# CHECK-NEXT: %2 = "cfunc.guarded_input"(%arg4, %1) {index = 0 : i64} : (!llvm.ptr, i1) -> f64 loc(#loc)
# CHECK-NEXT: %true = arith.constant true loc(#loc1)
# CHECK-NEXT: %3 = arith.xori %1, %true : i1 loc(#loc1)
# CHECK-NEXT: "cfunc.check"(%3) {code = 14 : i32} : (i1) -> () loc(#loc1)
# CHECK-NEXT: %cst_0 = arith.constant 2.000000e+00 : f64 loc(#loc2)
# CHECK-NEXT: %4 = arith.mulf %2, %cst_0 : f64 loc(#loc1)
# CHECK-NEXT: llvm.store %4, %0 : f64, !llvm.ptr loc(#loc1)
# CHECK-NEXT: %5 = llvm.load %0 : !llvm.ptr -> f64 loc(#loc3)
# CHECK-NEXT: %cst_1 = arith.constant 1.000000e+00 : f64 loc(#loc4)
# CHECK-NEXT: %6 = arith.addf %5, %cst_1 : f64 loc(#loc3)
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %6) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> () loc(#loc3)
# CHECK-NEXT: cf.br ^bb2 loc(#loc3)
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return loc(#loc)
# CHECK-NEXT: } loc(#loc)
# CHECK-NEXT: } loc(#loc)
# CHECK-NEXT: #loc1 = loc("tests/ir/opt/debuginfo.py":5:9)
# CHECK-NEXT: #loc2 = loc("tests/ir/opt/debuginfo.py":5:13)
# CHECK-NEXT: #loc3 = loc("tests/ir/opt/debuginfo.py":6:12)
# CHECK-NEXT: #loc4 = loc("tests/ir/opt/debuginfo.py":6:16)
