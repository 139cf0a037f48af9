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
# CHECK-NEXT: %3 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %4 = "cfunc.guarded_input"(%arg4, %3) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %5 = "cfunc.input_valid"(%arg6) {index = 1 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %6 = "cfunc.guarded_input"(%arg4, %5) {index = 1 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %7 = arith.xori %3, %true : i1
# CHECK-NEXT: "cfunc.check"(%7) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: llvm.store %4, %0 : i64, !llvm.ptr
# CHECK-NEXT: %8 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %true_3 = arith.constant true
# CHECK-NEXT: %9 = arith.xori %5, %true_3 : i1
# CHECK-NEXT: "cfunc.check"(%9) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %10 = "cfunc.floordiv"(%8, %6) : (i64, i64) -> i64
# CHECK-NEXT: llvm.store %10, %0 : i64, !llvm.ptr
# CHECK-NEXT: %true_4 = arith.constant true
# CHECK-NEXT: %11 = arith.xori %3, %true_4 : i1
# CHECK-NEXT: "cfunc.check"(%11) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: llvm.store %4, %1 : i64, !llvm.ptr
# CHECK-NEXT: %12 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %true_5 = arith.constant true
# CHECK-NEXT: %13 = arith.xori %5, %true_5 : i1
# CHECK-NEXT: "cfunc.check"(%13) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %14 = "cfunc.mod"(%12, %6) : (i64, i64) -> i64
# CHECK-NEXT: llvm.store %14, %1 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %15 = arith.sitofp %c1_i64 : i64 to f64
# CHECK-NEXT: llvm.store %15, %2 : f64, !llvm.ptr
# CHECK-NEXT: %16 = llvm.load %2 : !llvm.ptr -> f64
# CHECK-NEXT: %true_6 = arith.constant true
# CHECK-NEXT: %17 = arith.xori %3, %true_6 : i1
# CHECK-NEXT: "cfunc.check"(%17) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %18 = arith.sitofp %4 : i64 to f64
# CHECK-NEXT: %19 = arith.addf %16, %18 : f64
# CHECK-NEXT: llvm.store %19, %2 : f64, !llvm.ptr
# CHECK-NEXT: %20 = llvm.load %2 : !llvm.ptr -> f64
# CHECK-NEXT: %cst_7 = arith.constant 5.000000e-01 : f64
# CHECK-NEXT: %21 = arith.mulf %20, %cst_7 : f64
# CHECK-NEXT: llvm.store %21, %2 : f64, !llvm.ptr
# CHECK-NEXT: %22 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %23 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %24 = llvm.load %2 : !llvm.ptr -> f64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %22) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %23) {index = 1 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %24) {index = 2 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
