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
# CHECK-NEXT: %3 = "cfunc.is_null"(%2) : (!cfunc.dict<i64, f64>) -> i1
# CHECK-NEXT: "cfunc.check"(%3) {code = 9 : i32} : (i1) -> ()
# CHECK-NEXT: %4 = "cfunc.input_value"(%arg4) {index = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %5 = "cfunc.input_value"(%arg4) {index = 1 : i64} : (!llvm.ptr) -> f64
# CHECK-NEXT: "cfunc.dict_set"(%2, %4, %5) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
# CHECK-NEXT: %cst_1 = arith.constant 0.000000e+00 : f64
# CHECK-NEXT: llvm.store %cst_1, %0 : f64, !llvm.ptr
# CHECK-NEXT: %6 = "cfunc.dict_version"(%2) : (!cfunc.dict<i64, f64>) -> i64
# CHECK-NEXT: %c0_i64_2 = arith.constant 0 : i64
# CHECK-NEXT: cf.br ^bb2(%c0_i64_2 : i64)
# CHECK-NEXT: ^bb2(%7: i64):  // 2 preds: ^bb1, ^bb4
# CHECK-NEXT: %8 = "cfunc.dict_version"(%2) : (!cfunc.dict<i64, f64>) -> i64
# CHECK-NEXT: %9 = arith.cmpi ne, %8, %6 : i64
# CHECK-NEXT: "cfunc.check"(%9) {code = 8 : i32} : (i1) -> ()
# CHECK-NEXT: %10 = "cfunc.dict_next"(%2, %7) : (!cfunc.dict<i64, f64>, i64) -> i64
# CHECK-NEXT: %c0_i64_3 = arith.constant 0 : i64
# CHECK-NEXT: %11 = arith.cmpi sge, %10, %c0_i64_3 : i64
# CHECK-NEXT: cf.cond_br %11, ^bb3, ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb2
# CHECK-NEXT: %12 = "cfunc.dict_key_at"(%2, %10) : (!cfunc.dict<i64, f64>, i64) -> i64
# CHECK-NEXT: llvm.store %12, %1 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %13 = arith.addi %10, %c1_i64 : i64
# CHECK-NEXT: %14 = llvm.load %0 : !llvm.ptr -> f64
# CHECK-NEXT: %15 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %16 = "cfunc.dict_get"(%2, %15) : (!cfunc.dict<i64, f64>, i64) -> f64
# CHECK-NEXT: %17 = arith.addf %14, %16 : f64
# CHECK-NEXT: llvm.store %17, %0 : f64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb4(%18: i64):  // pred: ^bb7
# CHECK-NEXT: cf.br ^bb2(%18 : i64)
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: cf.br ^bb6
# CHECK-NEXT: ^bb6:  // pred: ^bb5
# CHECK-NEXT: %19 = llvm.load %0 : !llvm.ptr -> f64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %19) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> ()
# CHECK-NEXT: cf.br ^bb8
# CHECK-NEXT: ^bb7:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb4(%13 : i64)
# CHECK-NEXT: ^bb8:  // pred: ^bb6
# CHECK-NEXT: return
# CHECK-NEXT: }
