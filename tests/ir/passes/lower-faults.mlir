// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-faults)' | FileCheck %s
//
// cfunc-lower-faults: each `cfunc.check` splits its block. When the check's
// operand is true, control goes to a new block that stores {code, line,
// column} (the check's location: the Python source in a real node, this
// file here) into the module's fault record `@__cfunc_fault`, then to the
// function's exit block (so tick-local containers are freed) or, when the
// function has no single argument-free exit block, returns. The record and
// its accessor are defined once per module.
//
// BLESS: CHECK @with_exit_block(
// BLESS: CHECK @returns_directly(
// BLESS: CHECK llvm.mlir.global internal @__cfunc_fault(
// BLESS: CHECK llvm.func @__cfunc_fault_record(

func.func @with_exit_block(%a: i64, %b: i64) {
  %c0 = arith.constant 0 : i64
  %neg = arith.cmpi slt, %b, %c0 : i64
  "cfunc.check"(%neg) {code = 1 : i32} : (i1) -> ()
  %zero = arith.cmpi eq, %a, %c0 : i64
  "cfunc.check"(%zero) {code = 4 : i32} : (i1) -> ()
  cf.br ^exit
^exit:
  return
}

func.func @returns_directly(%a: i64, %flag: i1) {
  cf.cond_br %flag, ^early, ^late
^early:
  return
^late:
  %c0 = arith.constant 0 : i64
  %neg = arith.cmpi slt, %a, %c0 : i64
  "cfunc.check"(%neg) {code = 2 : i32} : (i1) -> ()
  return
}

// CHECK-LABEL: func.func @with_exit_block(%arg0: i64, %arg1: i64) {
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %0 = arith.cmpi slt, %arg1, %c0_i64 : i64
// CHECK-NEXT: cf.cond_br %0, ^bb1, ^bb2
// CHECK-NEXT: ^bb1:  // pred: ^bb0
// CHECK-NEXT: %1 = llvm.mlir.addressof @__cfunc_fault : !llvm.ptr
// CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
// CHECK-NEXT: llvm.store %c1_i32, %1 : i32, !llvm.ptr
// CHECK-NEXT: %c19_i32 = arith.constant 19 : i32
// CHECK-NEXT: %2 = llvm.getelementptr %1[1] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: llvm.store %c19_i32, %2 : i32, !llvm.ptr
// CHECK-NEXT: %c3_i32 = arith.constant 3 : i32
// CHECK-NEXT: %3 = llvm.getelementptr %1[2] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: llvm.store %c3_i32, %3 : i32, !llvm.ptr
// CHECK-NEXT: cf.br ^bb5
// CHECK-NEXT: ^bb2:  // pred: ^bb0
// CHECK-NEXT: %4 = arith.cmpi eq, %arg0, %c0_i64 : i64
// CHECK-NEXT: cf.cond_br %4, ^bb3, ^bb4
// CHECK-NEXT: ^bb3:  // pred: ^bb2
// CHECK-NEXT: %5 = llvm.mlir.addressof @__cfunc_fault : !llvm.ptr
// CHECK-NEXT: %c4_i32 = arith.constant 4 : i32
// CHECK-NEXT: llvm.store %c4_i32, %5 : i32, !llvm.ptr
// CHECK-NEXT: %c21_i32 = arith.constant 21 : i32
// CHECK-NEXT: %6 = llvm.getelementptr %5[1] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: llvm.store %c21_i32, %6 : i32, !llvm.ptr
// CHECK-NEXT: %c3_i32_0 = arith.constant 3 : i32
// CHECK-NEXT: %7 = llvm.getelementptr %5[2] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: llvm.store %c3_i32_0, %7 : i32, !llvm.ptr
// CHECK-NEXT: cf.br ^bb5
// CHECK-NEXT: ^bb4:  // pred: ^bb2
// CHECK-NEXT: cf.br ^bb5
// CHECK-NEXT: ^bb5:  // 3 preds: ^bb1, ^bb3, ^bb4
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @returns_directly(%arg0: i64, %arg1: i1) {
// CHECK-NEXT: cf.cond_br %arg1, ^bb1, ^bb2
// CHECK-NEXT: ^bb1:  // pred: ^bb0
// CHECK-NEXT: return
// CHECK-NEXT: ^bb2:  // pred: ^bb0
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %0 = arith.cmpi slt, %arg0, %c0_i64 : i64
// CHECK-NEXT: cf.cond_br %0, ^bb3, ^bb4
// CHECK-NEXT: ^bb3:  // pred: ^bb2
// CHECK-NEXT: %1 = llvm.mlir.addressof @__cfunc_fault : !llvm.ptr
// CHECK-NEXT: %c2_i32 = arith.constant 2 : i32
// CHECK-NEXT: llvm.store %c2_i32, %1 : i32, !llvm.ptr
// CHECK-NEXT: %c34_i32 = arith.constant 34 : i32
// CHECK-NEXT: %2 = llvm.getelementptr %1[1] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: llvm.store %c34_i32, %2 : i32, !llvm.ptr
// CHECK-NEXT: %c3_i32 = arith.constant 3 : i32
// CHECK-NEXT: %3 = llvm.getelementptr %1[2] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: llvm.store %c3_i32, %3 : i32, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: ^bb4:  // pred: ^bb2
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: llvm.mlir.global internal @__cfunc_fault(dense<0> : tensor<4xi32>) {addr_space = 0 : i32} : !llvm.array<4 x i32>
// CHECK-LABEL: llvm.func @__cfunc_fault_record() -> !llvm.ptr {
// CHECK-NEXT: %0 = llvm.mlir.addressof @__cfunc_fault : !llvm.ptr
// CHECK-NEXT: llvm.return %0 : !llvm.ptr
// CHECK-NEXT: }
