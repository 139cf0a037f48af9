// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-containers)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-containers)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-lower-containers: list and dict ops become calls into the C runtime
// (runtime/cfrt.h) on `!llvm.ptr` handles (through
// unrealized_conversion_cast), values cross as 8-byte bit patterns, and
// Python's errors become `cfunc.check`s: index out of range (5), empty pop
// (6), missing key (7). Constant containers become static globals in the
// runtime's layout.
//
// BLESS: CHECK @list_ops(
// BLESS: CHECK @dict_ops(
// BLESS: CHECK @constant(
// BLESS: CHECK @__cfunc_const0_data(
// BLESS: CHECK @__cfunc_const0()
// BLESS: STATS

func.func @list_ops(%arena: !llvm.ptr, %v: f64, %i: i64) -> (f64, f64, i64) {
  %l = "cfunc.list_new"(%arena) : (!llvm.ptr) -> !cfunc.list<f64>
  "cfunc.list_append"(%l, %v) : (!cfunc.list<f64>, f64) -> ()
  %0 = "cfunc.list_get"(%l, %i) : (!cfunc.list<f64>, i64) -> f64
  %1 = "cfunc.list_pop"(%l) : (!cfunc.list<f64>) -> f64
  %2 = "cfunc.len"(%l) : (!cfunc.list<f64>) -> i64
  return %0, %1, %2 : f64, f64, i64
}

func.func @dict_ops(%d: !cfunc.dict<i64, i1>, %k: i64, %b: i1) -> (i1, i1) {
  "cfunc.dict_set"(%d, %k, %b) : (!cfunc.dict<i64, i1>, i64, i1) -> ()
  %0 = "cfunc.dict_get"(%d, %k) : (!cfunc.dict<i64, i1>, i64) -> i1
  %1 = "cfunc.dict_contains"(%d, %k) : (!cfunc.dict<i64, i1>, i64) -> i1
  return %0, %1 : i1, i1
}

func.func @constant() -> i64 {
  %l = "cfunc.const_list"() {values = array<i64: 1, 2, 3>} : () -> !cfunc.list<i64>
  %0 = "cfunc.list_reduce"(%l) {kind = "sum"} : (!cfunc.list<i64>) -> i64
  return %0 : i64
}

// CHECK-LABEL: func.func @list_ops(%arg0: !llvm.ptr, %arg1: f64, %arg2: i64) -> (f64, f64, i64) {
// CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c0_i32 = arith.constant 0 : i32
// CHECK-NEXT: %0 = call @cfrt_list_new(%arg0) : (!llvm.ptr) -> !llvm.ptr
// CHECK-NEXT: %1 = arith.bitcast %arg1 : f64 to i64
// CHECK-NEXT: %2 = call @cfrt_list_append(%0, %1) : (!llvm.ptr, i64) -> i32
// CHECK-NEXT: %3 = arith.cmpi eq, %2, %c0_i32 : i32
// CHECK-NEXT: "cfunc.check"(%3) {code = 10 : i32} : (i1) -> ()
// CHECK-NEXT: %4 = call @cfrt_list_len(%0) : (!llvm.ptr) -> i64
// CHECK-NEXT: %5 = arith.cmpi slt, %arg2, %c0_i64 : i64
// CHECK-NEXT: %6 = arith.addi %arg2, %4 : i64
// CHECK-NEXT: %7 = arith.select %5, %6, %arg2 : i64
// CHECK-NEXT: %8 = arith.cmpi uge, %7, %4 : i64
// CHECK-NEXT: "cfunc.check"(%8) {code = 5 : i32} : (i1) -> ()
// CHECK-NEXT: %9 = call @cfrt_list_get(%0, %7) : (!llvm.ptr, i64) -> i64
// CHECK-NEXT: %10 = arith.bitcast %9 : i64 to f64
// CHECK-NEXT: %11 = call @cfrt_list_len(%0) : (!llvm.ptr) -> i64
// CHECK-NEXT: %12 = arith.cmpi eq, %11, %c0_i64 : i64
// CHECK-NEXT: "cfunc.check"(%12) {code = 6 : i32} : (i1) -> ()
// CHECK-NEXT: %13 = arith.subi %11, %c1_i64 : i64
// CHECK-NEXT: %14 = call @cfrt_list_remove_at(%0, %13) : (!llvm.ptr, i64) -> i64
// CHECK-NEXT: %15 = arith.bitcast %14 : i64 to f64
// CHECK-NEXT: %16 = call @cfrt_list_len(%0) : (!llvm.ptr) -> i64
// CHECK-NEXT: return %10, %15, %16 : f64, f64, i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @dict_ops(%arg0: !cfunc.dict<i64, i1>, %arg1: i64, %arg2: i1) -> (i1, i1) {
// CHECK-NEXT: %true = arith.constant true
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c0_i32 = arith.constant 0 : i32
// CHECK-NEXT: %0 = builtin.unrealized_conversion_cast %arg0 : !cfunc.dict<i64, i1> to !llvm.ptr
// CHECK-NEXT: %1 = arith.extui %arg2 : i1 to i64
// CHECK-NEXT: %2 = call @cfrt_dict_set(%0, %arg1, %1) : (!llvm.ptr, i64, i64) -> i32
// CHECK-NEXT: %3 = arith.cmpi eq, %2, %c0_i32 : i32
// CHECK-NEXT: "cfunc.check"(%3) {code = 10 : i32} : (i1) -> ()
// CHECK-NEXT: %4 = builtin.unrealized_conversion_cast %arg0 : !cfunc.dict<i64, i1> to !llvm.ptr
// CHECK-NEXT: %5 = call @cfrt_dict_find(%4, %arg1) : (!llvm.ptr, i64) -> !llvm.ptr
// CHECK-NEXT: %6 = llvm.ptrtoint %5 : !llvm.ptr to i64
// CHECK-NEXT: %7 = arith.cmpi eq, %6, %c0_i64 : i64
// CHECK-NEXT: "cfunc.check"(%7) {code = 7 : i32} : (i1) -> ()
// CHECK-NEXT: %8 = llvm.load %5 : !llvm.ptr -> i64
// CHECK-NEXT: %9 = arith.cmpi ne, %8, %c0_i64 : i64
// CHECK-NEXT: %10 = builtin.unrealized_conversion_cast %arg0 : !cfunc.dict<i64, i1> to !llvm.ptr
// CHECK-NEXT: %11 = call @cfrt_dict_find(%10, %arg1) : (!llvm.ptr, i64) -> !llvm.ptr
// CHECK-NEXT: %12 = llvm.ptrtoint %11 : !llvm.ptr to i64
// CHECK-NEXT: %13 = arith.cmpi eq, %12, %c0_i64 : i64
// CHECK-NEXT: %14 = arith.xori %13, %true : i1
// CHECK-NEXT: return %9, %14 : i1, i1
// CHECK-NEXT: }
// CHECK-LABEL: func.func @constant() -> i64 {
// CHECK-NEXT: %0 = llvm.mlir.addressof @__cfunc_const0 : !llvm.ptr
// CHECK-NEXT: %1 = call @cfrt_list_sum_i64(%0) : (!llvm.ptr) -> i64
// CHECK-NEXT: return %1 : i64
// CHECK-NEXT: }
// CHECK-LABEL: llvm.mlir.global internal constant @__cfunc_const0_data(dense<[1, 2, 3]> : tensor<3xi64>) {addr_space = 0 : i32} : !llvm.array<3 x i64>
// CHECK-LABEL: llvm.mlir.global internal constant @__cfunc_const0() {addr_space = 0 : i32} : !llvm.struct<(i64, ptr, i64, i64, ptr)> {
// CHECK-NEXT: %0 = llvm.mlir.addressof @__cfunc_const0_data : !llvm.ptr
// CHECK-NEXT: %1 = llvm.mlir.constant(3 : i64) : i64
// CHECK-NEXT: %2 = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT: %3 = llvm.mlir.undef : !llvm.struct<(i64, ptr, i64, i64, ptr)>
// CHECK-NEXT: %4 = llvm.mlir.constant(8391166445252404835 : i64) : i64
// CHECK-NEXT: %5 = llvm.insertvalue %4, %3[0] : !llvm.struct<(i64, ptr, i64, i64, ptr)>
// CHECK-NEXT: %6 = llvm.insertvalue %2, %5[1] : !llvm.struct<(i64, ptr, i64, i64, ptr)>
// CHECK-NEXT: %7 = llvm.insertvalue %1, %6[2] : !llvm.struct<(i64, ptr, i64, i64, ptr)>
// CHECK-NEXT: %8 = llvm.insertvalue %1, %7[3] : !llvm.struct<(i64, ptr, i64, i64, ptr)>
// CHECK-NEXT: %9 = llvm.insertvalue %0, %8[4] : !llvm.struct<(i64, ptr, i64, i64, ptr)>
// CHECK-NEXT: llvm.return %9 : !llvm.struct<(i64, ptr, i64, i64, ptr)>
// CHECK-NEXT: }
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-lower-containers
// STATS-NEXT: (cfunc.const_list) 1 - constant containers lowered to static globals
// STATS-NEXT: (cfunc.const_dict) 0 - constant containers lowered to static globals
// STATS-NEXT: (cfunc.list_new) 1 - ops rewritten
// STATS-NEXT: (cfunc.dict_new) 0 - ops rewritten
// STATS-NEXT: (cfunc.free) 0 - ops rewritten
// STATS-NEXT: (cfunc.arena_free) 0 - ops rewritten
// STATS-NEXT: (cfunc.is_null) 0 - ops rewritten
// STATS-NEXT: (cfunc.is_live) 0 - ops rewritten
// STATS-NEXT: (cfunc.len) 1 - ops rewritten
// STATS-NEXT: (cfunc.clear) 0 - ops rewritten
// STATS-NEXT: (cfunc.list_get) 1 - ops rewritten
// STATS-NEXT: (cfunc.list_set) 0 - ops rewritten
// STATS-NEXT: (cfunc.list_append) 1 - ops rewritten
// STATS-NEXT: (cfunc.list_pop) 1 - ops rewritten
// STATS-NEXT: (cfunc.list_insert) 0 - ops rewritten
// STATS-NEXT: (cfunc.list_extend) 0 - ops rewritten
// STATS-NEXT: (cfunc.list_contains) 0 - ops rewritten
// STATS-NEXT: (cfunc.list_reduce) 1 - ops rewritten
// STATS-NEXT: (cfunc.list_sort) 0 - ops rewritten
// STATS-NEXT: (cfunc.list_slice) 0 - ops rewritten
// STATS-NEXT: (cfunc.dict_get) 1 - ops rewritten
// STATS-NEXT: (cfunc.dict_slot) 0 - ops rewritten
// STATS-NEXT: (cfunc.dict_set) 1 - ops rewritten
// STATS-NEXT: (cfunc.dict_contains) 1 - ops rewritten
// STATS-NEXT: (cfunc.dict_pop) 0 - ops rewritten
// STATS-NEXT: (cfunc.dict_version) 0 - ops rewritten
// STATS-NEXT: (cfunc.dict_next) 0 - ops rewritten
// STATS-NEXT: (cfunc.dict_key_at) 0 - ops rewritten
// STATS-NEXT: (cfunc.dict_value_at) 0 - ops rewritten
