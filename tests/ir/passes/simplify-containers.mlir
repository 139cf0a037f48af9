// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-simplify-containers)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-simplify-containers)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-simplify-containers: within a block, a read of what the block
// already knows is replaced by the known value: a get after a set or an
// earlier get of the same handle and key, a len after an earlier len (plus
// one per append in between). A write to a container of the same type
// forgets what is known about that type (another handle may name the same
// container); containers of other types keep their facts.
//
// BLESS: CHECK @get_after_set(
// BLESS: CHECK @len_after_appends(
// BLESS: CHECK @same_type_write_forgets(
// BLESS: CHECK @other_type_write_keeps(
// BLESS: CHECK @get_with_default_proves_nothing(
// BLESS: STATS

func.func @get_after_set(%d: !cfunc.dict<i64, f64>, %k: i64, %v: f64) -> (f64, f64) {
  "cfunc.dict_set"(%d, %k, %v) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
  %0 = "cfunc.dict_get"(%d, %k) : (!cfunc.dict<i64, f64>, i64) -> f64
  %1 = "cfunc.dict_get"(%d, %k) : (!cfunc.dict<i64, f64>, i64) -> f64
  return %0, %1 : f64, f64
}

func.func @len_after_appends(%l: !cfunc.list<f64>, %v: f64) -> (i64, i64) {
  %0 = "cfunc.len"(%l) : (!cfunc.list<f64>) -> i64
  "cfunc.list_append"(%l, %v) : (!cfunc.list<f64>, f64) -> ()
  "cfunc.list_append"(%l, %v) : (!cfunc.list<f64>, f64) -> ()
  %1 = "cfunc.len"(%l) : (!cfunc.list<f64>) -> i64
  %2 = "cfunc.len"(%l) : (!cfunc.list<f64>) -> i64
  return %1, %2 : i64, i64
}

func.func @same_type_write_forgets(%a: !cfunc.list<i64>, %b: !cfunc.list<i64>, %i: i64, %v: i64) -> i64 {
  "cfunc.list_set"(%a, %i, %v) : (!cfunc.list<i64>, i64, i64) -> ()
  "cfunc.list_set"(%b, %i, %v) : (!cfunc.list<i64>, i64, i64) -> ()
  // %b may be %a: not forwarded.
  %0 = "cfunc.list_get"(%a, %i) : (!cfunc.list<i64>, i64) -> i64
  return %0 : i64
}

func.func @other_type_write_keeps(%a: !cfunc.list<i64>, %b: !cfunc.list<f64>, %i: i64, %v: i64, %w: f64) -> i64 {
  "cfunc.list_set"(%a, %i, %v) : (!cfunc.list<i64>, i64, i64) -> ()
  "cfunc.list_append"(%b, %w) : (!cfunc.list<f64>, f64) -> ()
  %0 = "cfunc.list_get"(%a, %i) : (!cfunc.list<i64>, i64) -> i64
  return %0 : i64
}

func.func @get_with_default_proves_nothing(%d: !cfunc.dict<i64, i64>, %k: i64, %z: i64) -> i64 {
  %0 = "cfunc.dict_get"(%d, %k, %z) : (!cfunc.dict<i64, i64>, i64, i64) -> i64
  %1 = "cfunc.dict_get"(%d, %k) : (!cfunc.dict<i64, i64>, i64) -> i64
  %2 = arith.addi %0, %1 : i64
  return %2 : i64
}

// CHECK-LABEL: func.func @get_after_set(%arg0: !cfunc.dict<i64, f64>, %arg1: i64, %arg2: f64) -> (f64, f64) {
// CHECK-NEXT: "cfunc.dict_set"(%arg0, %arg1, %arg2) : (!cfunc.dict<i64, f64>, i64, f64) -> ()
// CHECK-NEXT: return %arg2, %arg2 : f64, f64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @len_after_appends(%arg0: !cfunc.list<f64>, %arg1: f64) -> (i64, i64) {
// CHECK-NEXT: %0 = "cfunc.len"(%arg0) : (!cfunc.list<f64>) -> i64
// CHECK-NEXT: "cfunc.list_append"(%arg0, %arg1) : (!cfunc.list<f64>, f64) -> ()
// CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
// CHECK-NEXT: %1 = arith.addi %0, %c1_i64 : i64
// CHECK-NEXT: "cfunc.list_append"(%arg0, %arg1) : (!cfunc.list<f64>, f64) -> ()
// CHECK-NEXT: %c1_i64_0 = arith.constant 1 : i64
// CHECK-NEXT: %2 = arith.addi %1, %c1_i64_0 : i64
// CHECK-NEXT: return %2, %2 : i64, i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @same_type_write_forgets(%arg0: !cfunc.list<i64>, %arg1: !cfunc.list<i64>, %arg2: i64, %arg3: i64) -> i64 {
// CHECK-NEXT: "cfunc.list_set"(%arg0, %arg2, %arg3) : (!cfunc.list<i64>, i64, i64) -> ()
// CHECK-NEXT: "cfunc.list_set"(%arg1, %arg2, %arg3) : (!cfunc.list<i64>, i64, i64) -> ()
// CHECK-NEXT: %0 = "cfunc.list_get"(%arg0, %arg2) : (!cfunc.list<i64>, i64) -> i64
// CHECK-NEXT: return %0 : i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @other_type_write_keeps(%arg0: !cfunc.list<i64>, %arg1: !cfunc.list<f64>, %arg2: i64, %arg3: i64, %arg4: f64) -> i64 {
// CHECK-NEXT: "cfunc.list_set"(%arg0, %arg2, %arg3) : (!cfunc.list<i64>, i64, i64) -> ()
// CHECK-NEXT: "cfunc.list_append"(%arg1, %arg4) : (!cfunc.list<f64>, f64) -> ()
// CHECK-NEXT: return %arg3 : i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @get_with_default_proves_nothing(%arg0: !cfunc.dict<i64, i64>, %arg1: i64, %arg2: i64) -> i64 {
// CHECK-NEXT: %0 = "cfunc.dict_get"(%arg0, %arg1, %arg2) : (!cfunc.dict<i64, i64>, i64, i64) -> i64
// CHECK-NEXT: %1 = "cfunc.dict_get"(%arg0, %arg1) : (!cfunc.dict<i64, i64>, i64) -> i64
// CHECK-NEXT: %2 = arith.addi %0, %1 : i64
// CHECK-NEXT: return %2 : i64
// CHECK-NEXT: }
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-simplify-containers
// STATS-NEXT: (forwarded-reads) 3 - list_get/dict_get replaced by a known value
// STATS-NEXT: (forwarded-lens) 2 - len replaced by a known length
