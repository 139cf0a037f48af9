// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-state)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-state)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-lower-state: a scalar state slot is the cell `*state[slot]`; a
// container slot holds the container's pointer in `state[slot]` itself.
//
// BLESS: CHECK @scalar(
// BLESS: CHECK @container(
// BLESS: STATS

func.func @scalar(%state: !llvm.ptr, %x: f64) -> f64 {
  %s = "cfunc.state_load"(%state) {slot = 1 : i64} : (!llvm.ptr) -> f64
  %n = arith.addf %s, %x : f64
  "cfunc.state_store"(%state, %n) {slot = 1 : i64} : (!llvm.ptr, f64) -> ()
  return %n : f64
}

func.func @container(%state: !llvm.ptr, %l: !cfunc.list<i64>) -> !cfunc.list<i64> {
  "cfunc.state_store"(%state, %l) {slot = 0 : i64} : (!llvm.ptr, !cfunc.list<i64>) -> ()
  %h = "cfunc.state_load"(%state) {slot = 0 : i64} : (!llvm.ptr) -> !cfunc.list<i64>
  return %h : !cfunc.list<i64>
}

// CHECK-LABEL: func.func @scalar(%arg0: !llvm.ptr, %arg1: f64) -> f64 {
// CHECK-NEXT: %0 = llvm.getelementptr %arg0[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %0 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %2 = llvm.load %1 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> f64
// CHECK-NEXT: %3 = arith.addf %2, %arg1 : f64
// CHECK-NEXT: %4 = llvm.getelementptr %arg0[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %5 = llvm.load %4 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: llvm.store %3, %5 {tbaa = [#tbaa_tag1]} : f64, !llvm.ptr
// CHECK-NEXT: return %3 : f64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @container(%arg0: !llvm.ptr, %arg1: !cfunc.list<i64>) -> !cfunc.list<i64> {
// CHECK-NEXT: %0 = builtin.unrealized_conversion_cast %arg1 : !cfunc.list<i64> to !llvm.ptr
// CHECK-NEXT: llvm.store %0, %arg0 : !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %arg0 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %2 = builtin.unrealized_conversion_cast %1 : !llvm.ptr to !cfunc.list<i64>
// CHECK-NEXT: return %2 : !cfunc.list<i64>
// CHECK-NEXT: }
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-lower-state
// STATS-NEXT: (cfunc.state_load) 2 - ops rewritten
// STATS-NEXT: (cfunc.state_store) 2 - ops rewritten
