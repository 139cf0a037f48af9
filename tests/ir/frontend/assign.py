# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# Each local is a stack slot (llvm.alloca in the entry block, promoted to
# SSA values by LLVM's SROA); a tuple assignment evaluates
# every value before storing any; a chained one stores the value twice.
# BLESS: CHECK @f.execute(
# run: [1, 2.5] -> [6.5]
# run: [-3, 0.25] -> [-11.75]
def f(x: Signal[int], y: Signal[float]) -> Signal[float]:
    a = x
    b, c = y, a
    b, c = c, b
    d = e = b * 2.0
    return d + e + c

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64, %0 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i32_0 = arith.constant 1 : i32
# CHECK-NEXT: %1 = llvm.alloca %c1_i32_0 x f64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %cst = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst, %1 : f64, !llvm.ptr
# CHECK-NEXT: %c1_i32_1 = arith.constant 1 : i32
# CHECK-NEXT: %2 = llvm.alloca %c1_i32_1 x f64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %cst_2 = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst_2, %2 : f64, !llvm.ptr
# CHECK-NEXT: %c1_i32_3 = arith.constant 1 : i32
# CHECK-NEXT: %3 = llvm.alloca %c1_i32_3 x f64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %cst_4 = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst_4, %3 : f64, !llvm.ptr
# CHECK-NEXT: %c1_i32_5 = arith.constant 1 : i32
# CHECK-NEXT: %4 = llvm.alloca %c1_i32_5 x f64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %cst_6 = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst_6, %4 : f64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %5 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %6 = "cfunc.guarded_input"(%arg4, %5) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %7 = "cfunc.input_valid"(%arg6) {index = 1 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %8 = "cfunc.guarded_input"(%arg4, %7) {index = 1 : i64} : (!llvm.ptr, i1) -> f64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %9 = arith.xori %5, %true : i1
# CHECK-NEXT: "cfunc.check"(%9) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: llvm.store %6, %0 : i64, !llvm.ptr
# CHECK-NEXT: %true_7 = arith.constant true
# CHECK-NEXT: %10 = arith.xori %7, %true_7 : i1
# CHECK-NEXT: "cfunc.check"(%10) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %11 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: llvm.store %8, %1 : f64, !llvm.ptr
# CHECK-NEXT: %12 = arith.sitofp %11 : i64 to f64
# CHECK-NEXT: llvm.store %12, %2 : f64, !llvm.ptr
# CHECK-NEXT: %13 = llvm.load %2 : !llvm.ptr -> f64
# CHECK-NEXT: %14 = llvm.load %1 : !llvm.ptr -> f64
# CHECK-NEXT: llvm.store %13, %1 : f64, !llvm.ptr
# CHECK-NEXT: llvm.store %14, %2 : f64, !llvm.ptr
# CHECK-NEXT: %15 = llvm.load %1 : !llvm.ptr -> f64
# CHECK-NEXT: %cst_8 = arith.constant 2.000000e+00 : f64
# CHECK-NEXT: %16 = arith.mulf %15, %cst_8 : f64
# CHECK-NEXT: llvm.store %16, %3 : f64, !llvm.ptr
# CHECK-NEXT: llvm.store %16, %4 : f64, !llvm.ptr
# CHECK-NEXT: %17 = llvm.load %3 : !llvm.ptr -> f64
# CHECK-NEXT: %18 = llvm.load %4 : !llvm.ptr -> f64
# CHECK-NEXT: %19 = arith.addf %17, %18 : f64
# CHECK-NEXT: %20 = llvm.load %2 : !llvm.ptr -> f64
# CHECK-NEXT: %21 = arith.addf %19, %20 : f64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %21) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
