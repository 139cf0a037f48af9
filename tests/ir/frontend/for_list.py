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
# CHECK-NEXT: %3 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %4 = "cfunc.guarded_input"(%arg4, %3) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %c0_i64_2 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_2, %0 : i64, !llvm.ptr
# CHECK-NEXT: %c0_i64_3 = arith.constant 0 : i64
# CHECK-NEXT: cf.br ^bb2(%c0_i64_3 : i64)
# CHECK-NEXT: ^bb2(%5: i64):  // 2 preds: ^bb1, ^bb4
# CHECK-NEXT: %6 = "cfunc.len"(%2) : (!cfunc.list<i64>) -> i64
# CHECK-NEXT: %7 = arith.cmpi slt, %5, %6 : i64
# CHECK-NEXT: cf.cond_br %7, ^bb3, ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb2
# CHECK-NEXT: %8 = "cfunc.list_get"(%2, %5) : (!cfunc.list<i64>, i64) -> i64
# CHECK-NEXT: llvm.store %8, %1 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %9 = arith.addi %5, %c1_i64 : i64
# CHECK-NEXT: %10 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %11 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %12 = arith.xori %3, %true : i1
# CHECK-NEXT: "cfunc.check"(%12) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %13 = arith.muli %11, %4 : i64
# CHECK-NEXT: %14 = arith.addi %10, %13 : i64
# CHECK-NEXT: llvm.store %14, %0 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb4(%15: i64):  // pred: ^bb7
# CHECK-NEXT: cf.br ^bb2(%15 : i64)
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: cf.br ^bb6
# CHECK-NEXT: ^bb6:  // pred: ^bb5
# CHECK-NEXT: %16 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %16) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb8
# CHECK-NEXT: ^bb7:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb4(%9 : i64)
# CHECK-NEXT: ^bb8:  // pred: ^bb6
# CHECK-NEXT: return
# CHECK-NEXT: }
