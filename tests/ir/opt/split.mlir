// RUN: cfunc-opt %s --split-input-file --pass-pipeline='builtin.module(cfunc-lower-arith)' | FileCheck %s
// Each piece is processed alone and the outputs are joined by `// -----`.
// BLESS: CHECK

func.func @a(%x: i64) -> i64 {
  %0 = "cfunc.shl"(%x, %x) : (i64, i64) -> i64
  return %0 : i64
}

// -----

func.func @b(%x: f64) -> i64 {
  %0 = "cfunc.to_int"(%x) : (f64) -> i64
  return %0 : i64
}

// CHECK: module {
// CHECK-NEXT: func.func @a(%arg0: i64) -> i64 {
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c63_i64 = arith.constant 63 : i64
// CHECK-NEXT: %0 = arith.cmpi sgt, %arg0, %c63_i64 : i64
// CHECK-NEXT: %1 = arith.cmpi slt, %arg0, %c0_i64 : i64
// CHECK-NEXT: %2 = arith.ori %0, %1 : i1
// CHECK-NEXT: %3 = arith.select %2, %c0_i64, %arg0 : i64
// CHECK-NEXT: %4 = arith.shli %arg0, %3 : i64
// CHECK-NEXT: %5 = arith.select %2, %c0_i64, %4 : i64
// CHECK-NEXT: return %5 : i64
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: // -----
// CHECK-NEXT: module {
// CHECK-NEXT: func.func @b(%arg0: f64) -> i64 {
// CHECK-NEXT: %c-9223372036854775808_i64 = arith.constant -9223372036854775808 : i64
// CHECK-NEXT: %c9223372036854775807_i64 = arith.constant 9223372036854775807 : i64
// CHECK-NEXT: %cst = arith.constant -9.2233720368547758E+18 : f64
// CHECK-NEXT: %cst_0 = arith.constant 9.2233720368547758E+18 : f64
// CHECK-NEXT: %cst_1 = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %0 = arith.cmpf oge, %arg0, %cst : f64
// CHECK-NEXT: %1 = arith.cmpf olt, %arg0, %cst_0 : f64
// CHECK-NEXT: %2 = arith.andi %0, %1 : i1
// CHECK-NEXT: %3 = arith.select %2, %arg0, %cst_1 : f64
// CHECK-NEXT: %4 = arith.fptosi %3 : f64 to i64
// CHECK-NEXT: %5 = arith.cmpf oge, %arg0, %cst_0 : f64
// CHECK-NEXT: %6 = arith.cmpf olt, %arg0, %cst : f64
// CHECK-NEXT: %7 = arith.select %5, %c9223372036854775807_i64, %4 : i64
// CHECK-NEXT: %8 = arith.select %6, %c-9223372036854775808_i64, %7 : i64
// CHECK-NEXT: return %8 : i64
// CHECK-NEXT: }
// CHECK-NEXT: }
