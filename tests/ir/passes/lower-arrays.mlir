// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-arrays)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-arrays)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-lower-arrays: fixed-size array ops become plain loads and stores at
// the array's address (through unrealized_conversion_cast), each access
// tagged as a value cell; a Python index wraps once when negative and is
// checked against the constant length (`cfunc.check` code 5); bools are one
// byte; clear is a memset; a local array is an entry-block alloca zeroed
// where it is created; sum/min/max are an scf.for over the elements; a
// constant array is a static global.
//
// BLESS: CHECK @array_ops(
// BLESS: CHECK @bools(
// BLESS: CHECK @local(
// BLESS: CHECK @constant(
// BLESS: CHECK @__cfunc_carr0(
// BLESS: STATS

func.func @array_ops(%a: !cfunc.array<f64, 16 : i64>, %i: i64, %v: f64) -> f64 {
  "cfunc.array_set"(%a, %i, %v) : (!cfunc.array<f64, 16 : i64>, i64, f64) -> ()
  %c = arith.constant -1 : i64
  %0 = "cfunc.array_get"(%a, %c) : (!cfunc.array<f64, 16 : i64>, i64) -> f64
  "cfunc.array_clear"(%a) : (!cfunc.array<f64, 16 : i64>) -> ()
  return %0 : f64
}

func.func @bools(%a: !cfunc.array<i1, 3 : i64>, %i: i64, %b: i1) -> (i1, i64) {
  "cfunc.array_set"(%a, %i, %b) : (!cfunc.array<i1, 3 : i64>, i64, i1) -> ()
  %0 = "cfunc.array_reduce"(%a) {kind = "max"} : (!cfunc.array<i1, 3 : i64>) -> i1
  %1 = "cfunc.array_reduce"(%a) {kind = "sum"} : (!cfunc.array<i1, 3 : i64>) -> i64
  return %0, %1 : i1, i64
}

func.func @local(%i: i64) -> i64 {
  %a = "cfunc.array_new"() : () -> !cfunc.array<i64, 4 : i64>
  "cfunc.array_set"(%a, %i, %i) : (!cfunc.array<i64, 4 : i64>, i64, i64) -> ()
  %0 = "cfunc.array_reduce"(%a) {kind = "min"} : (!cfunc.array<i64, 4 : i64>) -> i64
  return %0 : i64
}

func.func @constant(%i: i64) -> f64 {
  %a = "cfunc.const_array"() {values = array<i64: 4607182418800017408, -4611686018427387904>} : () -> !cfunc.array<f64, 2 : i64>
  %0 = "cfunc.array_get"(%a, %i) : (!cfunc.array<f64, 2 : i64>, i64) -> f64
  return %0 : f64
}

// CHECK-LABEL: func.func @array_ops(%arg0: !cfunc.array<f64, 16 : i64>, %arg1: i64, %arg2: f64) -> f64 {
// CHECK-NEXT: %c128_i64 = arith.constant 128 : i64
// CHECK-NEXT: %c0_i8 = arith.constant 0 : i8
// CHECK-NEXT: %false = arith.constant false
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c16_i64 = arith.constant 16 : i64
// CHECK-NEXT: %0 = arith.cmpi slt, %arg1, %c0_i64 : i64
// CHECK-NEXT: %1 = arith.addi %arg1, %c16_i64 : i64
// CHECK-NEXT: %2 = arith.select %0, %1, %arg1 : i64
// CHECK-NEXT: %3 = arith.cmpi uge, %2, %c16_i64 : i64
// CHECK-NEXT: "cfunc.check"(%3) {code = 5 : i32} : (i1) -> ()
// CHECK-NEXT: %4 = builtin.unrealized_conversion_cast %arg0 : !cfunc.array<f64, 16 : i64> to !llvm.ptr
// CHECK-NEXT: %5 = llvm.getelementptr %4[%2] : (!llvm.ptr, i64) -> !llvm.ptr, f64
// CHECK-NEXT: llvm.store %arg2, %5 {alignment = 8 : i64, tbaa = [#tbaa_tag]} : f64, !llvm.ptr
// CHECK-NEXT: "cfunc.check"(%false) {code = 5 : i32} : (i1) -> ()
// CHECK-NEXT: %6 = builtin.unrealized_conversion_cast %arg0 : !cfunc.array<f64, 16 : i64> to !llvm.ptr
// CHECK-NEXT: %7 = llvm.getelementptr %6[15] : (!llvm.ptr) -> !llvm.ptr, f64
// CHECK-NEXT: %8 = llvm.load %7 {alignment = 8 : i64, tbaa = [#tbaa_tag]} : !llvm.ptr -> f64
// CHECK-NEXT: %9 = builtin.unrealized_conversion_cast %arg0 : !cfunc.array<f64, 16 : i64> to !llvm.ptr
// CHECK-NEXT: "llvm.intr.memset"(%9, %c0_i8, %c128_i64) <{isVolatile = false}> : (!llvm.ptr, i8, i64) -> ()
// CHECK-NEXT: return %8 : f64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @bools(%arg0: !cfunc.array<i1, 3 : i64>, %arg1: i64, %arg2: i1) -> (i1, i64) {
// CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
// CHECK-NEXT: %c0_i8 = arith.constant 0 : i8
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c3_i64 = arith.constant 3 : i64
// CHECK-NEXT: %0 = arith.cmpi slt, %arg1, %c0_i64 : i64
// CHECK-NEXT: %1 = arith.addi %arg1, %c3_i64 : i64
// CHECK-NEXT: %2 = arith.select %0, %1, %arg1 : i64
// CHECK-NEXT: %3 = arith.cmpi uge, %2, %c3_i64 : i64
// CHECK-NEXT: "cfunc.check"(%3) {code = 5 : i32} : (i1) -> ()
// CHECK-NEXT: %4 = builtin.unrealized_conversion_cast %arg0 : !cfunc.array<i1, 3 : i64> to !llvm.ptr
// CHECK-NEXT: %5 = arith.extui %arg2 : i1 to i8
// CHECK-NEXT: %6 = llvm.getelementptr %4[%2] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK-NEXT: llvm.store %5, %6 {alignment = 1 : i64, tbaa = [#tbaa_tag]} : i8, !llvm.ptr
// CHECK-NEXT: %7 = builtin.unrealized_conversion_cast %arg0 : !cfunc.array<i1, 3 : i64> to !llvm.ptr
// CHECK-NEXT: %8 = llvm.load %7 {alignment = 1 : i64, tbaa = [#tbaa_tag]} : !llvm.ptr -> i8
// CHECK-NEXT: %9 = arith.cmpi ne, %8, %c0_i8 : i8
// CHECK-NEXT: %10 = scf.for %arg3 = %c1_i64 to %c3_i64 step %c1_i64 iter_args(%arg4 = %9) -> (i1)  : i64 {
// CHECK-NEXT: %13 = llvm.getelementptr %7[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK-NEXT: %14 = llvm.load %13 {alignment = 1 : i64, tbaa = [#tbaa_tag]} : !llvm.ptr -> i8
// CHECK-NEXT: %15 = arith.cmpi ne, %14, %c0_i8 : i8
// CHECK-NEXT: %16 = arith.cmpi ugt, %15, %arg4 : i1
// CHECK-NEXT: %17 = arith.select %16, %15, %arg4 : i1
// CHECK-NEXT: scf.yield %17 : i1
// CHECK-NEXT: }
// CHECK-NEXT: %11 = builtin.unrealized_conversion_cast %arg0 : !cfunc.array<i1, 3 : i64> to !llvm.ptr
// CHECK-NEXT: %12 = scf.for %arg3 = %c0_i64 to %c3_i64 step %c1_i64 iter_args(%arg4 = %c0_i64) -> (i64)  : i64 {
// CHECK-NEXT: %13 = llvm.getelementptr %11[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK-NEXT: %14 = llvm.load %13 {alignment = 1 : i64, tbaa = [#tbaa_tag]} : !llvm.ptr -> i8
// CHECK-NEXT: %15 = arith.cmpi ne, %14, %c0_i8 : i8
// CHECK-NEXT: %16 = arith.extui %15 : i1 to i64
// CHECK-NEXT: %17 = arith.addi %arg4, %16 : i64
// CHECK-NEXT: scf.yield %17 : i64
// CHECK-NEXT: }
// CHECK-NEXT: return %10, %12 : i1, i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @local(%arg0: i64) -> i64 {
// CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
// CHECK-NEXT: %c4_i64 = arith.constant 4 : i64
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c32_i64 = arith.constant 32 : i64
// CHECK-NEXT: %c0_i8 = arith.constant 0 : i8
// CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
// CHECK-NEXT: %0 = llvm.alloca %c1_i32 x !llvm.array<4 x i64> {alignment = 8 : i64} : (i32) -> !llvm.ptr
// CHECK-NEXT: "llvm.intr.memset"(%0, %c0_i8, %c32_i64) <{isVolatile = false}> : (!llvm.ptr, i8, i64) -> ()
// CHECK-NEXT: %1 = arith.cmpi slt, %arg0, %c0_i64 : i64
// CHECK-NEXT: %2 = arith.addi %arg0, %c4_i64 : i64
// CHECK-NEXT: %3 = arith.select %1, %2, %arg0 : i64
// CHECK-NEXT: %4 = arith.cmpi uge, %3, %c4_i64 : i64
// CHECK-NEXT: "cfunc.check"(%4) {code = 5 : i32} : (i1) -> ()
// CHECK-NEXT: %5 = llvm.getelementptr %0[%3] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK-NEXT: llvm.store %arg0, %5 {alignment = 8 : i64, tbaa = [#tbaa_tag]} : i64, !llvm.ptr
// CHECK-NEXT: %6 = llvm.load %0 {alignment = 8 : i64, tbaa = [#tbaa_tag]} : !llvm.ptr -> i64
// CHECK-NEXT: %7 = scf.for %arg1 = %c1_i64 to %c4_i64 step %c1_i64 iter_args(%arg2 = %6) -> (i64)  : i64 {
// CHECK-NEXT: %8 = llvm.getelementptr %0[%arg1] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK-NEXT: %9 = llvm.load %8 {alignment = 8 : i64, tbaa = [#tbaa_tag]} : !llvm.ptr -> i64
// CHECK-NEXT: %10 = arith.cmpi slt, %9, %arg2 : i64
// CHECK-NEXT: %11 = arith.select %10, %9, %arg2 : i64
// CHECK-NEXT: scf.yield %11 : i64
// CHECK-NEXT: }
// CHECK-NEXT: return %7 : i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @constant(%arg0: i64) -> f64 {
// CHECK-NEXT: %0 = llvm.mlir.addressof @__cfunc_carr0 : !llvm.ptr
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c2_i64 = arith.constant 2 : i64
// CHECK-NEXT: %1 = arith.cmpi slt, %arg0, %c0_i64 : i64
// CHECK-NEXT: %2 = arith.addi %arg0, %c2_i64 : i64
// CHECK-NEXT: %3 = arith.select %1, %2, %arg0 : i64
// CHECK-NEXT: %4 = arith.cmpi uge, %3, %c2_i64 : i64
// CHECK-NEXT: "cfunc.check"(%4) {code = 5 : i32} : (i1) -> ()
// CHECK-NEXT: %5 = llvm.getelementptr %0[%3] : (!llvm.ptr, i64) -> !llvm.ptr, f64
// CHECK-NEXT: %6 = llvm.load %5 {alignment = 8 : i64, tbaa = [#tbaa_tag]} : !llvm.ptr -> f64
// CHECK-NEXT: return %6 : f64
// CHECK-NEXT: }
// CHECK-LABEL: llvm.mlir.global internal constant @__cfunc_carr0(dense<[4607182418800017408, -4611686018427387904]> : tensor<2xi64>) {addr_space = 0 : i32, alignment = 8 : i64} : !llvm.array<2 x i64>
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-lower-arrays
// STATS-NEXT: (cfunc.const_array) 1 - constant arrays lowered to static globals
// STATS-NEXT: (cfunc.array_get) 2 - ops rewritten
// STATS-NEXT: (cfunc.array_set) 3 - ops rewritten
// STATS-NEXT: (cfunc.array_clear) 1 - ops rewritten
// STATS-NEXT: (cfunc.array_new) 1 - ops rewritten
// STATS-NEXT: (cfunc.array_reduce) 3 - ops rewritten
