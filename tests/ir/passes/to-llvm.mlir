// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-to-llvm)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-to-llvm)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-to-llvm: upstream MLIR only. scf → cf and func/arith/math/cf/ub →
// llvm; the frontend's local slots (llvm.alloca in the entry block) stay,
// for LLVM's SROA to promote; reconcile-unrealized-casts removes the
// casts the container and state lowerings left between handles and
// pointers. math ops without an LLVM intrinsic become libm calls.
//
// BLESS: CHECK llvm.func @erf(
// BLESS: CHECK @local_slot(
// BLESS: CHECK @loop(
// BLESS: CHECK @libm(
// BLESS: STATS

func.func @local_slot(%x: i64) -> i64 {
  %c1 = arith.constant 1 : i32
  %slot = llvm.alloca %c1 x i64 : (i32) -> !llvm.ptr
  llvm.store %x, %slot : i64, !llvm.ptr
  %v = llvm.load %slot : !llvm.ptr -> i64
  %r = arith.addi %v, %x : i64
  return %r : i64
}

func.func @loop(%n: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %r:2 = scf.while (%i = %c0, %acc = %c0) : (i64, i64) -> (i64, i64) {
    %more = arith.cmpi slt, %i, %n : i64
    scf.condition(%more) %i, %acc : i64, i64
  } do {
  ^bb0(%i: i64, %acc: i64):
    %next = arith.addi %i, %c1 : i64
    %sum = arith.addi %acc, %i : i64
    scf.yield %next, %sum : i64, i64
  }
  return %r#1 : i64
}

func.func @libm(%x: f64) -> f64 {
  %0 = math.sin %x : f64
  %1 = math.erf %0 : f64
  return %1 : f64
}

// CHECK-LABEL: llvm.func @erf(f64) -> f64 attributes {memory_effects = #llvm.memory_effects<other = none, argMem = none, inaccessibleMem = none, errnoMem = none, targetMem0 = none, targetMem1 = none>, sym_visibility = "private"}
// CHECK-LABEL: llvm.func @local_slot(%arg0: i64) -> i64 {
// CHECK-NEXT: %0 = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT: %1 = llvm.alloca %0 x i64 : (i32) -> !llvm.ptr
// CHECK-NEXT: llvm.store %arg0, %1 : i64, !llvm.ptr
// CHECK-NEXT: %2 = llvm.load %1 : !llvm.ptr -> i64
// CHECK-NEXT: %3 = llvm.add %2, %arg0 : i64
// CHECK-NEXT: llvm.return %3 : i64
// CHECK-NEXT: }
// CHECK-LABEL: llvm.func @loop(%arg0: i64) -> i64 {
// CHECK-NEXT: %0 = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT: %1 = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT: llvm.br ^bb1(%0, %0 : i64, i64)
// CHECK-NEXT: ^bb1(%2: i64, %3: i64):  // 2 preds: ^bb0, ^bb2
// CHECK-NEXT: %4 = llvm.icmp "slt" %2, %arg0 : i64
// CHECK-NEXT: llvm.cond_br %4, ^bb2(%2, %3 : i64, i64), ^bb3
// CHECK-NEXT: ^bb2(%5: i64, %6: i64):  // pred: ^bb1
// CHECK-NEXT: %7 = llvm.add %5, %1 : i64
// CHECK-NEXT: %8 = llvm.add %6, %5 : i64
// CHECK-NEXT: llvm.br ^bb1(%7, %8 : i64, i64)
// CHECK-NEXT: ^bb3:  // pred: ^bb1
// CHECK-NEXT: llvm.return %3 : i64
// CHECK-NEXT: }
// CHECK-LABEL: llvm.func @libm(%arg0: f64) -> f64 {
// CHECK-NEXT: %0 = llvm.intr.sin(%arg0) : (f64) -> f64
// CHECK-NEXT: %1 = llvm.call @erf(%0) : (f64) -> f64
// CHECK-NEXT: llvm.return %1 : f64
// CHECK-NEXT: }
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-to-llvm
// STATS-NEXT: (converted) 18 - ops of other dialects converted to the llvm dialect (or removed)
