// RUN: not cfunc-opt %s 2>&1 | FileCheck %s
// RUN: cfunc-opt %s 2>/dev/null; test $? = 1
// Invalid IR without --verify-diagnostics: FILE:LINE:COL: error: with the
// source line and a caret, then the verifier's note; exit code 1.
// BLESS: CHECK

func.func @f(%x: f64) -> i64 {
  %0 = "cfunc.shl"(%x, %x) : (f64, f64) -> i64
  return %0 : i64
}

// CHECK: tests/ir/opt/errors.mlir:8:8: error: expected 'i64' but got 'f64'
// CHECK-NEXT: %0 = "cfunc.shl"(%x, %x) : (f64, f64) -> i64
// CHECK-NEXT: ^
// CHECK-NEXT: tests/ir/opt/errors.mlir:8:8: note: see current operation: %0 = "cfunc.shl"(%arg0, %arg0) : (f64, f64) -> i64
