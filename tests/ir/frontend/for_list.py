# cfuncc: --function f --const 'w=[1, 2, 3]'
# RUN: cfunc-opt %s --function f --const 'w=[1, 2, 3]' | FileCheck %s
# `for v in xs` walks the list by index, reading each item with
# cfunc.list_get; a constant list is a cfunc.const_list.
# BLESS: CHECK @f.execute(
# run: [2] -> [12]
def f(x: Signal[int], w: list[int]) -> Signal[int]:
    s = 0
    for v in w:
        s += v * x
    return s

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64, %0 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i32_0 = arith.constant 1 : i32
# CHECK-NEXT: %1 = llvm.alloca %c1_i32_0 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64_1 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_1, %1 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %2 = "cfunc.const_list"() {values = array<i64: 1, 2, 3>} : () -> !cfunc.list<i64>
# CHECK-NEXT: %3 = "cfunc.input_value"(%arg4) {index = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %c0_i64_2 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_2, %0 : i64, !llvm.ptr
# CHECK-NEXT: %c0_i64_3 = arith.constant 0 : i64
# CHECK-NEXT: cf.br ^bb2(%c0_i64_3 : i64)
# CHECK-NEXT: ^bb2(%4: i64):  // 2 preds: ^bb1, ^bb4
# CHECK-NEXT: %5 = "cfunc.len"(%2) : (!cfunc.list<i64>) -> i64
# CHECK-NEXT: %6 = arith.cmpi slt, %4, %5 : i64
# CHECK-NEXT: cf.cond_br %6, ^bb3, ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb2
# CHECK-NEXT: %7 = "cfunc.list_get"(%2, %4) : (!cfunc.list<i64>, i64) -> i64
# CHECK-NEXT: llvm.store %7, %1 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %8 = arith.addi %4, %c1_i64 : i64
# CHECK-NEXT: %9 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %10 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %11 = arith.muli %10, %3 : i64
# CHECK-NEXT: %12 = arith.addi %9, %11 : i64
# CHECK-NEXT: llvm.store %12, %0 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb4(%13: i64):  // pred: ^bb7
# CHECK-NEXT: cf.br ^bb2(%13 : i64)
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: cf.br ^bb6
# CHECK-NEXT: ^bb6:  // pred: ^bb5
# CHECK-NEXT: %14 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %14) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb8
# CHECK-NEXT: ^bb7:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb4(%8 : i64)
# CHECK-NEXT: ^bb8:  // pred: ^bb6
# CHECK-NEXT: return
# CHECK-NEXT: }
