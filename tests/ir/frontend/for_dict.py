# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# `for k in d` walks the entries in insertion order with cfunc.dict_next
# and cfunc.dict_key_at, and checks on every step that the dict's keys did
# not change (cfunc.dict_version; fault 8).
# BLESS: CHECK @f.execute(
# run: [1, 0.5] -> [0.5]
# run: [2, 1.5] -> [2.0]
# run: [1, 2.0] -> [3.5]
def f(k: Signal[int], v: Signal[float]) -> Signal[float]:
    d: State[NumbaDict] = create_new_dict(int, float)
    d[k] = v
    total = 0.0
    for key in d:
        total += d[key]
    return total

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x f64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %cst = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst, %0 : f64, !llvm.ptr
# CHECK-NEXT: %c1_i32_0 = arith.constant 1 : i32
# CHECK-NEXT: %1 = llvm.alloca %c1_i32_0 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64, %1 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %2 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.dict<i64, f64>
# CHECK-NEXT: %3 = "cfunc.is_live"(%2) : (!cfunc.dict<i64, f64>) -> i1
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %4 = arith.xori %3, %true : i1
# CHECK-NEXT: "cfunc.check"(%4) {code = 9 : i32} : (i1) -> ()
# CHECK-NEXT: %5 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %6 = "cfunc.guarded_input"(%arg4, %5) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %7 = "cfunc.input_valid"(%arg6) {index = 1 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %8 = "cfunc.guarded_input"(%arg4, %7) {index = 1 : i64} : (!llvm.ptr, i1) -> f64
# CHECK-NEXT: %true_1 = arith.constant true
# CHECK-NEXT: %9 = arith.xori %7, %true_1 : i1
# CHECK-NEXT: "cfunc.check"(%9) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %true_2 = arith.constant true
# CHECK-NEXT: %10 = arith.xori %5, %true_2 : i1
# CHECK-NEXT: "cfunc.check"(%10) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: "cfunc.dict_set"(%2, %6, %8) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
# CHECK-NEXT: %cst_3 = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst_3, %0 : f64, !llvm.ptr
# CHECK-NEXT: %11 = "cfunc.dict_version"(%2) : (!cfunc.dict<i64, f64>) -> i64
# CHECK-NEXT: %c0_i64_4 = arith.constant 0 : i64
# CHECK-NEXT: cf.br ^bb2(%c0_i64_4 : i64)
# CHECK-NEXT: ^bb2(%12: i64):  // 2 preds: ^bb1, ^bb4
# CHECK-NEXT: %13 = "cfunc.dict_version"(%2) : (!cfunc.dict<i64, f64>) -> i64
# CHECK-NEXT: %14 = arith.cmpi ne, %13, %11 : i64
# CHECK-NEXT: "cfunc.check"(%14) {code = 8 : i32} : (i1) -> ()
# CHECK-NEXT: %15 = "cfunc.dict_next"(%2, %12) : (!cfunc.dict<i64, f64>, i64) -> i64
# CHECK-NEXT: %c0_i64_5 = arith.constant 0 : i64
# CHECK-NEXT: %16 = arith.cmpi sge, %15, %c0_i64_5 : i64
# CHECK-NEXT: cf.cond_br %16, ^bb3, ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb2
# CHECK-NEXT: %17 = "cfunc.dict_key_at"(%2, %15) : (!cfunc.dict<i64, f64>, i64) -> i64
# CHECK-NEXT: llvm.store %17, %1 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %18 = arith.addi %15, %c1_i64 : i64
# CHECK-NEXT: %19 = llvm.load %0 : !llvm.ptr -> f64
# CHECK-NEXT: %20 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %21 = "cfunc.dict_get"(%2, %20) : (!cfunc.dict<i64, f64>, i64) -> f64
# CHECK-NEXT: %22 = arith.addf %19, %21 : f64
# CHECK-NEXT: llvm.store %22, %0 : f64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb4(%23: i64):  // pred: ^bb7
# CHECK-NEXT: cf.br ^bb2(%23 : i64)
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: cf.br ^bb6
# CHECK-NEXT: ^bb6:  // pred: ^bb5
# CHECK-NEXT: %24 = llvm.load %0 : !llvm.ptr -> f64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %24) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> ()
# CHECK-NEXT: cf.br ^bb8
# CHECK-NEXT: ^bb7:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb4(%18 : i64)
# CHECK-NEXT: ^bb8:  // pred: ^bb6
# CHECK-NEXT: return
# CHECK-NEXT: }
