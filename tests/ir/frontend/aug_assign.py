# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# `x op= v` is `x = x op v`: floor division and modulo become cfunc ops
# (lowered by cfunc-lower-arith); an int local mixed with a float is a
# float from the start.
# BLESS: CHECK @f.execute(
# run: [7, 2] -> {"q": 3, "r": 1, "s": 4.0}
# run: [-7, 2] -> {"q": -4, "r": 1, "s": -3.0}
def f(x: Signal[int], y: Signal[int]) -> Outputs(q=int, r=int, s=float):
    q = x
    q //= y
    r = x
    r %= y
    s = 1
    s += x
    s *= 0.5
    return q, r, s

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64, %0 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i32_0 = arith.constant 1 : i32
# CHECK-NEXT: %1 = llvm.alloca %c1_i32_0 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64_1 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_1, %1 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i32_2 = arith.constant 1 : i32
# CHECK-NEXT: %2 = llvm.alloca %c1_i32_2 x f64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %cst = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst, %2 : f64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %3 = "cfunc.input_value"(%arg4) {index = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %4 = "cfunc.input_value"(%arg4) {index = 1 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: llvm.store %3, %0 : i64, !llvm.ptr
# CHECK-NEXT: %5 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %6 = "cfunc.floordiv"(%5, %4) : (i64, i64) -> i64
# CHECK-NEXT: llvm.store %6, %0 : i64, !llvm.ptr
# CHECK-NEXT: llvm.store %3, %1 : i64, !llvm.ptr
# CHECK-NEXT: %7 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %8 = "cfunc.mod"(%7, %4) : (i64, i64) -> i64
# CHECK-NEXT: llvm.store %8, %1 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %9 = arith.sitofp %c1_i64 : i64 to f64
# CHECK-NEXT: llvm.store %9, %2 : f64, !llvm.ptr
# CHECK-NEXT: %10 = llvm.load %2 : !llvm.ptr -> f64
# CHECK-NEXT: %11 = arith.sitofp %3 : i64 to f64
# CHECK-NEXT: %12 = arith.addf %10, %11 : f64
# CHECK-NEXT: llvm.store %12, %2 : f64, !llvm.ptr
# CHECK-NEXT: %13 = llvm.load %2 : !llvm.ptr -> f64
# CHECK-NEXT: %cst_3 = arith.constant 5.000000e-01 : f64
# CHECK-NEXT: %14 = arith.mulf %13, %cst_3 : f64
# CHECK-NEXT: llvm.store %14, %2 : f64, !llvm.ptr
# CHECK-NEXT: %15 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %16 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %17 = llvm.load %2 : !llvm.ptr -> f64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %15) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %16) {index = 1 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %17) {index = 2 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
