// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-resolve)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-resolve)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-resolve: each `cfunc.call` / `cfunc.getattr` the frontend could not
// lower itself becomes the ops of the handler registered under its name
// (here the built-in `math` and builtins extensions). An op no handler
// resolves is an error at its location (tests/ir/verify/pass-errors.mlir).
//
// BLESS: CHECK @math_calls(
// BLESS: CHECK @builtins(
// BLESS: STATS

func.func @math_calls(%x: f64, %y: f64) -> f64 {
  %0 = "cfunc.call"(%x) {callee = "math.sqrt", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
  %1 = "cfunc.call"(%x, %y) {callee = "math.pow", operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>} : (f64, f64) -> f64
  %2 = "cfunc.getattr"() {name = "math.pi", operandSegmentSizes = array<i32: 0>} : () -> f64
  %3 = arith.addf %0, %1 : f64
  %4 = arith.addf %3, %2 : f64
  return %4 : f64
}

func.func @builtins(%i: i64, %x: f64) -> (i64, i64, f64) {
  %0 = "cfunc.call"(%i) {callee = "abs", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
  // Arguments of different types sit in separate operand groups.
  %1 = "cfunc.call"(%i, %x) {callee = "max", operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>} : (i64, f64) -> f64
  %2 = "cfunc.call"(%x) {callee = "int", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> i64
  return %0, %2, %1 : i64, i64, f64
}

// CHECK-LABEL: func.func @math_calls(%arg0: f64, %arg1: f64) -> f64 {
// CHECK-NEXT: %cst = arith.constant 3.1415926535897931 : f64
// CHECK-NEXT: %0 = math.sqrt %arg0 : f64
// CHECK-NEXT: %1 = math.powf %arg0, %arg1 : f64
// CHECK-NEXT: %2 = arith.addf %0, %1 : f64
// CHECK-NEXT: %3 = arith.addf %2, %cst : f64
// CHECK-NEXT: return %3 : f64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @builtins(%arg0: i64, %arg1: f64) -> (i64, i64, f64) {
// CHECK-NEXT: %true = arith.constant true
// CHECK-NEXT: %cst = arith.constant 0x7FF0000000000000 : f64
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %0 = arith.cmpi slt, %arg0, %c0_i64 : i64
// CHECK-NEXT: %1 = arith.subi %c0_i64, %arg0 : i64
// CHECK-NEXT: %2 = arith.select %0, %1, %arg0 : i64
// CHECK-NEXT: %3 = arith.sitofp %arg0 : i64 to f64
// CHECK-NEXT: %4 = arith.cmpf ogt, %arg1, %3 : f64
// CHECK-NEXT: %5 = arith.select %4, %arg1, %3 : f64
// CHECK-NEXT: %6 = math.absf %arg1 : f64
// CHECK-NEXT: %7 = arith.cmpf olt, %6, %cst : f64
// CHECK-NEXT: %8 = arith.xori %7, %true : i1
// CHECK-NEXT: "cfunc.check"(%8) {code = 3 : i32} : (i1) -> ()
// CHECK-NEXT: %9 = "cfunc.to_int"(%arg1) : (f64) -> i64
// CHECK-NEXT: return %2, %9, %5 : i64, i64, f64
// CHECK-NEXT: }
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-resolve
// STATS-NEXT: (cfunc.call) 5 - ops rewritten
// STATS-NEXT: (cfunc.method) 0 - ops rewritten
// STATS-NEXT: (cfunc.getattr) 1 - ops rewritten
