# cfuncc: --function w
# RUN: cfunc-opt %s --function w | FileCheck %s
# `while` tests at the top; `break` jumps past the loop.
# BLESS: CHECK @w.execute(
# run: [81] -> [5]
# run: [4] -> [0]
# run: [0] -> [0]
def w(x: Signal[int]) -> Signal[int]:
    n = 0
    while x > 0:
        if x % 2 == 0:
            break
        x = x // 3
        n += 1
    return n

# CHECK-LABEL: func.func private @w.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64, %0 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i32_0 = arith.constant 1 : i32
# CHECK-NEXT: %1 = llvm.alloca %c1_i32_0 x i1 : (i32) -> !llvm.ptr
# CHECK-NEXT: %false = arith.constant false
# CHECK-NEXT: llvm.store %false, %1 : i1, !llvm.ptr
# CHECK-NEXT: %c1_i32_1 = arith.constant 1 : i32
# CHECK-NEXT: %2 = llvm.alloca %c1_i32_1 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64_2 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_2, %2 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %3 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %4 = "cfunc.guarded_input"(%arg4, %3) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: llvm.store %4, %0 : i64, !llvm.ptr
# CHECK-NEXT: llvm.store %3, %1 : i1, !llvm.ptr
# CHECK-NEXT: %c0_i64_3 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_3, %2 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // 2 preds: ^bb1, ^bb6
# CHECK-NEXT: %5 = llvm.load %1 : !llvm.ptr -> i1
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %6 = arith.xori %5, %true : i1
# CHECK-NEXT: "cfunc.check"(%6) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %7 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %c0_i64_4 = arith.constant 0 : i64
# CHECK-NEXT: %8 = arith.cmpi sgt, %7, %c0_i64_4 : i64
# CHECK-NEXT: cf.cond_br %8, ^bb3, ^bb4
# CHECK-NEXT: ^bb3:  // pred: ^bb2
# CHECK-NEXT: %9 = llvm.load %1 : !llvm.ptr -> i1
# CHECK-NEXT: %true_5 = arith.constant true
# CHECK-NEXT: %10 = arith.xori %9, %true_5 : i1
# CHECK-NEXT: "cfunc.check"(%10) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %11 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %c2_i64 = arith.constant 2 : i64
# CHECK-NEXT: %12 = "cfunc.mod"(%11, %c2_i64) : (i64, i64) -> i64
# CHECK-NEXT: %c0_i64_6 = arith.constant 0 : i64
# CHECK-NEXT: %13 = arith.cmpi eq, %12, %c0_i64_6 : i64
# CHECK-NEXT: cf.cond_br %13, ^bb7, ^bb8
# CHECK-NEXT: ^bb4:  // pred: ^bb2
# CHECK-NEXT: cf.br ^bb5
# CHECK-NEXT: ^bb5:  // 2 preds: ^bb4, ^bb7
# CHECK-NEXT: %14 = llvm.load %2 : !llvm.ptr -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %14) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb9
# CHECK-NEXT: ^bb6:  // pred: ^bb8
# CHECK-NEXT: %15 = llvm.load %1 : !llvm.ptr -> i1
# CHECK-NEXT: %true_7 = arith.constant true
# CHECK-NEXT: %16 = arith.xori %15, %true_7 : i1
# CHECK-NEXT: "cfunc.check"(%16) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %17 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %c3_i64 = arith.constant 3 : i64
# CHECK-NEXT: %18 = "cfunc.floordiv"(%17, %c3_i64) : (i64, i64) -> i64
# CHECK-NEXT: llvm.store %18, %0 : i64, !llvm.ptr
# CHECK-NEXT: %true_8 = arith.constant true
# CHECK-NEXT: llvm.store %true_8, %1 : i1, !llvm.ptr
# CHECK-NEXT: %19 = llvm.load %2 : !llvm.ptr -> i64
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %20 = arith.addi %19, %c1_i64 : i64
# CHECK-NEXT: llvm.store %20, %2 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb7:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb5
# CHECK-NEXT: ^bb8:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb6
# CHECK-NEXT: ^bb9:  // pred: ^bb5
# CHECK-NEXT: return
# CHECK-NEXT: }
