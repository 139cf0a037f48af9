// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-fuse-dict-updates)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-fuse-dict-updates)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-fuse-dict-updates: a dict_get followed by a dict_set of the same
// dict and key, with only arith/math ops between, becomes one dict_slot (one
// probe) and a load and a store through it. With a default the slot inserts
// the key first; without one a missing key faults at the slot, as at the get.
// Anything else between the two (another container op, a check, a call)
// leaves them alone.
//
// BLESS: CHECK @upsert_with_default(
// BLESS: CHECK @augmented(
// BLESS: CHECK @bool_values(
// BLESS: CHECK @stores_what_it_read(
// BLESS: CHECK @bool_stores_what_it_read(
// BLESS: CHECK @other_key_not_fused(
// BLESS: CHECK @container_op_between_not_fused(
// BLESS: STATS

func.func @upsert_with_default(%d: !cfunc.dict<i64, f64>, %k: i64, %x: f64) -> f64 {
  %zero = arith.constant 0.0 : f64
  %0 = "cfunc.dict_get"(%d, %k, %zero) : (!cfunc.dict<i64, f64>, i64, f64) -> f64
  %1 = arith.addf %0, %x : f64
  "cfunc.dict_set"(%d, %k, %1) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
  return %0 : f64
}

func.func @augmented(%d: !cfunc.dict<i64, i64>, %k: i64, %x: i64) {
  %0 = "cfunc.dict_get"(%d, %k) : (!cfunc.dict<i64, i64>, i64) -> i64
  %1 = arith.muli %x, %x : i64
  %2 = arith.addi %0, %1 : i64
  "cfunc.dict_set"(%d, %k, %2) : (!cfunc.dict<i64, i64>, i64, i64) -> ()
  return
}

func.func @bool_values(%d: !cfunc.dict<i64, i1>, %k: i64) {
  %f = arith.constant false
  %t = arith.constant true
  %0 = "cfunc.dict_get"(%d, %k, %f) : (!cfunc.dict<i64, i1>, i64, i1) -> i1
  %1 = arith.xori %0, %t : i1
  "cfunc.dict_set"(%d, %k, %1) : (!cfunc.dict<i64, i1>, i64, i1) -> ()
  return
}

// `d[k] = d.get(k, 0)`, or `d[k] += 0` once folded: the set stores the
// get's own result, which becomes the load.
func.func @stores_what_it_read(%d: !cfunc.dict<i64, i64>, %k: i64) {
  %zero = arith.constant 0 : i64
  %0 = "cfunc.dict_get"(%d, %k, %zero) : (!cfunc.dict<i64, i64>, i64, i64) -> i64
  "cfunc.dict_set"(%d, %k, %0) : (!cfunc.dict<i64, i64>, i64, i64) -> ()
  return
}

func.func @bool_stores_what_it_read(%d: !cfunc.dict<i64, i1>, %k: i64) {
  %0 = "cfunc.dict_get"(%d, %k) : (!cfunc.dict<i64, i1>, i64) -> i1
  "cfunc.dict_set"(%d, %k, %0) : (!cfunc.dict<i64, i1>, i64, i1) -> ()
  return
}

func.func @other_key_not_fused(%d: !cfunc.dict<i64, f64>, %k: i64, %j: i64, %x: f64) {
  %0 = "cfunc.dict_get"(%d, %k) : (!cfunc.dict<i64, f64>, i64) -> f64
  "cfunc.dict_set"(%d, %j, %0) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
  return
}

func.func @container_op_between_not_fused(%d: !cfunc.dict<i64, f64>, %e: !cfunc.dict<i64, f64>, %k: i64, %x: f64) {
  %0 = "cfunc.dict_get"(%d, %k) : (!cfunc.dict<i64, f64>, i64) -> f64
  "cfunc.dict_set"(%e, %k, %x) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
  "cfunc.dict_set"(%d, %k, %0) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
  return
}

// CHECK-LABEL: func.func @upsert_with_default(%arg0: !cfunc.dict<i64, f64>, %arg1: i64, %arg2: f64) -> f64 {
// CHECK-NEXT: %cst = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %0 = "cfunc.dict_slot"(%arg0, %arg1, %cst) : (!cfunc.dict<i64, f64>, i64, f64) -> !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %0 : !llvm.ptr -> f64
// CHECK-NEXT: %2 = arith.addf %1, %arg2 : f64
// CHECK-NEXT: llvm.store %2, %0 : f64, !llvm.ptr
// CHECK-NEXT: return %1 : f64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @augmented(%arg0: !cfunc.dict<i64, i64>, %arg1: i64, %arg2: i64) {
// CHECK-NEXT: %0 = "cfunc.dict_slot"(%arg0, %arg1) : (!cfunc.dict<i64, i64>, i64) -> !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %0 : !llvm.ptr -> i64
// CHECK-NEXT: %2 = arith.muli %arg2, %arg2 : i64
// CHECK-NEXT: %3 = arith.addi %1, %2 : i64
// CHECK-NEXT: llvm.store %3, %0 : i64, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @bool_values(%arg0: !cfunc.dict<i64, i1>, %arg1: i64) {
// CHECK-NEXT: %false = arith.constant false
// CHECK-NEXT: %true = arith.constant true
// CHECK-NEXT: %0 = "cfunc.dict_slot"(%arg0, %arg1, %false) : (!cfunc.dict<i64, i1>, i64, i1) -> !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %0 : !llvm.ptr -> i64
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %2 = arith.cmpi ne, %1, %c0_i64 : i64
// CHECK-NEXT: %3 = arith.xori %2, %true : i1
// CHECK-NEXT: %4 = arith.extui %3 : i1 to i64
// CHECK-NEXT: llvm.store %4, %0 : i64, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @stores_what_it_read(%arg0: !cfunc.dict<i64, i64>, %arg1: i64) {
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %0 = "cfunc.dict_slot"(%arg0, %arg1, %c0_i64) : (!cfunc.dict<i64, i64>, i64, i64) -> !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %0 : !llvm.ptr -> i64
// CHECK-NEXT: llvm.store %1, %0 : i64, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @bool_stores_what_it_read(%arg0: !cfunc.dict<i64, i1>, %arg1: i64) {
// CHECK-NEXT: %0 = "cfunc.dict_slot"(%arg0, %arg1) : (!cfunc.dict<i64, i1>, i64) -> !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %0 : !llvm.ptr -> i64
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %2 = arith.cmpi ne, %1, %c0_i64 : i64
// CHECK-NEXT: %3 = arith.extui %2 : i1 to i64
// CHECK-NEXT: llvm.store %3, %0 : i64, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @other_key_not_fused(%arg0: !cfunc.dict<i64, f64>, %arg1: i64, %arg2: i64, %arg3: f64) {
// CHECK-NEXT: %0 = "cfunc.dict_get"(%arg0, %arg1) : (!cfunc.dict<i64, f64>, i64) -> f64
// CHECK-NEXT: "cfunc.dict_set"(%arg0, %arg2, %0) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @container_op_between_not_fused(%arg0: !cfunc.dict<i64, f64>, %arg1: !cfunc.dict<i64, f64>, %arg2: i64, %arg3: f64) {
// CHECK-NEXT: %0 = "cfunc.dict_get"(%arg0, %arg2) : (!cfunc.dict<i64, f64>, i64) -> f64
// CHECK-NEXT: "cfunc.dict_set"(%arg1, %arg2, %arg3) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
// CHECK-NEXT: "cfunc.dict_set"(%arg0, %arg2, %0) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
// CHECK-NEXT: return
// CHECK-NEXT: }
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-fuse-dict-updates
// STATS-NEXT: (fused-updates) 5 - dict get + set pairs fused into one dict_slot
