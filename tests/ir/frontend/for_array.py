# cfuncc: --function f --const 'w=[1, 2, 3]'
# RUN: cfunc-opt %s --function f --const 'w=[1, 2, 3]' | FileCheck %s
# `for v in a` over a fixed-size array walks the indices 0 .. N (a
# constant bound: len(a) is part of the type), reading each item with
# cfunc.array_get; a constant array is a cfunc.const_array, array state a
# cfunc.state_load of the host's buffer, which START zero-fills
# (cfunc.array_clear); a constant index is checked at compile time.
# BLESS: CHECK @f.start(
# BLESS: CHECK @f.execute(
# run: [2] -> [14]
# run: [-1] -> [-4]
def f(x: Signal[int], w: NumbaArray[int, 3]) -> Signal[int]:
    acc: State[NumbaArray] = create_new_array(int, 2)
    s = 0
    for v in w:
        s += v * x
    acc[-1] = s
    return acc[1] + len(acc)

# CHECK-LABEL: func.func private @f.start(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %0 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.array<i64, 2 : i64>
# CHECK-NEXT: "cfunc.array_clear"(%0) : (!cfunc.array<i64, 2 : i64>) -> ()
# CHECK-NEXT: return
# CHECK-NEXT: }
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
# CHECK-NEXT: %2 = "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.array<i64, 2 : i64>
# CHECK-NEXT: %3 = "cfunc.const_array"() {values = array<i64: 1, 2, 3>} : () -> !cfunc.array<i64, 3 : i64>
# CHECK-NEXT: %4 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %5 = "cfunc.guarded_input"(%arg4, %4) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %c0_i64_2 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64_2, %0 : i64, !llvm.ptr
# CHECK-NEXT: %c0_i64_3 = arith.constant 0 : i64
# CHECK-NEXT: cf.br ^bb2(%c0_i64_3 : i64)
# CHECK-NEXT: ^bb2(%6: i64):  // 2 preds: ^bb1, ^bb4
# CHECK-NEXT: %c3_i64 = arith.constant 3 : i64
# CHECK-NEXT: %7 = arith.cmpi slt, %6, %c3_i64 : i64
# CHECK-NEXT: cf.cond_br %7, ^bb3, ^bb5
# CHECK-NEXT: ^bb3:  // pred: ^bb2
# CHECK-NEXT: %8 = "cfunc.array_get"(%3, %6) : (!cfunc.array<i64, 3 : i64>, i64) -> i64
# CHECK-NEXT: llvm.store %8, %1 : i64, !llvm.ptr
# CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
# CHECK-NEXT: %9 = arith.addi %6, %c1_i64 : i64
# CHECK-NEXT: %10 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %11 = llvm.load %1 : !llvm.ptr -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %12 = arith.xori %4, %true : i1
# CHECK-NEXT: "cfunc.check"(%12) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %13 = arith.muli %11, %5 : i64
# CHECK-NEXT: %14 = arith.addi %10, %13 : i64
# CHECK-NEXT: llvm.store %14, %0 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb7
# CHECK-NEXT: ^bb4(%15: i64):  // pred: ^bb7
# CHECK-NEXT: cf.br ^bb2(%15 : i64)
# CHECK-NEXT: ^bb5:  // pred: ^bb2
# CHECK-NEXT: cf.br ^bb6
# CHECK-NEXT: ^bb6:  // pred: ^bb5
# CHECK-NEXT: %16 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %c1_i64_4 = arith.constant 1 : i64
# CHECK-NEXT: %c0_i64_5 = arith.constant 0 : i64
# CHECK-NEXT: %17 = arith.subi %c0_i64_5, %c1_i64_4 : i64
# CHECK-NEXT: "cfunc.array_set"(%2, %17, %16) : (!cfunc.array<i64, 2 : i64>, i64, i64) -> ()
# CHECK-NEXT: %c1_i64_6 = arith.constant 1 : i64
# CHECK-NEXT: %18 = "cfunc.array_get"(%2, %c1_i64_6) : (!cfunc.array<i64, 2 : i64>, i64) -> i64
# CHECK-NEXT: %c2_i64 = arith.constant 2 : i64
# CHECK-NEXT: %19 = arith.addi %18, %c2_i64 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %19) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb8
# CHECK-NEXT: ^bb7:  // pred: ^bb3
# CHECK-NEXT: cf.br ^bb4(%9 : i64)
# CHECK-NEXT: ^bb8:  // pred: ^bb6
# CHECK-NEXT: return
# CHECK-NEXT: }
