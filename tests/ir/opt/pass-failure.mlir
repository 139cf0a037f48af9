// RUN: not cfunc-opt %s --pass-pipeline='builtin.module(canonicalize,cfunc-resolve,cse)' --mlir-print-ir-after-failure --mlir-print-ir-after-all 2>&1 | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-resolve)' --verify-each=false 2>/dev/null; test $? = 1
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-resolve)' --verify-diagnostics
// A cfunc pass that fails stops the pass manager: MLIR's IR printing shows
// the IR it failed on, no later pass runs, and every error
// the pass found is reported at its location, with exit code 1.
// BLESS: CHECK

func.func @f(%x: f64) -> f64 {
  // expected-error @+1 {{no registered handler resolves 'nosuch.fn'}}
  %0 = "cfunc.call"(%x) {callee = "nosuch.fn", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
  // expected-error @+1 {{no registered handler resolves 'nosuch.other'}}
  %1 = "cfunc.call"(%0) {callee = "nosuch.other", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
  return %1 : f64
}

// CHECK: // -----// IR Dump After Canonicalizer (canonicalize) //----- //
// CHECK-NEXT: module {
// CHECK-NEXT: func.func @f(%arg0: f64) -> f64 {
// CHECK-NEXT: %0 = "cfunc.call"(%arg0) {callee = "nosuch.fn", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
// CHECK-NEXT: %1 = "cfunc.call"(%0) {callee = "nosuch.other", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
// CHECK-NEXT: return %1 : f64
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: // -----// IR Dump After CfuncResolve Failed (cfunc-resolve) //----- //
// CHECK-NEXT: module {
// CHECK-NEXT: func.func @f(%arg0: f64) -> f64 {
// CHECK-NEXT: %0 = "cfunc.call"(%arg0) {callee = "nosuch.fn", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
// CHECK-NEXT: %1 = "cfunc.call"(%0) {callee = "nosuch.other", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
// CHECK-NEXT: return %1 : f64
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: tests/ir/opt/pass-failure.mlir:11:8: error: no registered handler resolves 'nosuch.fn'
// CHECK-NEXT: %0 = "cfunc.call"(%x) {callee = "nosuch.fn", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
// CHECK-NEXT: ^
// CHECK-NEXT: tests/ir/opt/pass-failure.mlir:13:8: error: no registered handler resolves 'nosuch.other'
// CHECK-NEXT: %1 = "cfunc.call"(%0) {callee = "nosuch.other", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
// CHECK-NEXT: ^
