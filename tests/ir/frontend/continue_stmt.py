# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# `continue` branches to the loop's step block (the increment of range).
# BLESS: CHECK @f.execute(
# run: [10] -> [27]
# run: [0] -> [0]
def f(n: Signal[int]) -> Signal[int]:
    s = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        s += i
    return s

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64, %0 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i32_0 = arith.constant 1 : i32
# CHECK-NEXT: %1 = llvm.alloca %c1_i32_0 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c1_i32_1 = arith.constant 1 : i32
# CHECK-NEXT: %2 = llvm.alloca %c1_i32_1 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64_2 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_2, %2 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %3 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %4 = "cfunc.guarded_input"(%arg4, %3) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %c0_i64_3 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_3, %0 : i64, !llvm.ptr
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %5 = arith.xori %3, %true : i1
# CHECK-NEXT: "cfunc.check"(%5) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %c0_i64_4 = arith.constant 0 : i64
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: llvm.store %c0_i64_4, %1 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // 2 preds: ^bb1, ^bb4
# CHECK-NEXT: %6 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %7 = arith.cmpi slt, %6, %4 : i64
# CHECK-NEXT: cf.cond_br %7, ^bb3, ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb2
# CHECK-NEXT: llvm.store %6, %2 : i64, !llvm.ptr
# CHECK-NEXT: %8 = llvm.load %2 : !llvm.ptr -> i64
# CHECK-NEXT: %c3_i64 = arith.constant 3 : i64
# CHECK-NEXT: %9 = "cfunc.mod"(%8, %c3_i64) : (i64, i64) -> i64
# CHECK-NEXT: %c0_i64_5 = arith.constant 0 : i64
# CHECK-NEXT: %10 = arith.cmpi eq, %9, %c0_i64_5 : i64
# CHECK-NEXT: cf.cond_br %10, ^bb8, ^bb9
# CHECK-NEXT: ^bb4:  // 2 preds: ^bb7, ^bb8
# CHECK-NEXT: %11 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %12 = arith.addi %11, %c1_i64 : i64
# CHECK-NEXT: llvm.store %12, %1 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: cf.br ^bb6
# CHECK-NEXT: ^bb6:  // pred: ^bb5
# CHECK-NEXT: %13 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %13) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb10
# CHECK-NEXT: ^bb7:  // pred: ^bb9
# CHECK-NEXT: %14 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %15 = llvm.load %2 : !llvm.ptr -> i64
# CHECK-NEXT: %16 = arith.addi %14, %15 : i64
# CHECK-NEXT: llvm.store %16, %0 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb4
# CHECK-NEXT: ^bb8:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb4
# CHECK-NEXT: ^bb9:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb10:  // pred: ^bb6
# CHECK-NEXT: return
# CHECK-NEXT: }
