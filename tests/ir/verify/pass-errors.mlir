// RUN: cfunc-opt %s --split-input-file --verify-diagnostics --emit-stage llvm-dialect
//
// Errors the passes report, at the location of the op they could not
// lower, through the default pipeline.

func.func @unknown(%x: f64) -> f64 {
  // expected-error @+1 {{no registered handler resolves 'math.nope'}}
  %0 = "cfunc.call"(%x) {callee = "math.nope", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
  return %0 : f64
}

// -----

func.func @attribute() -> f64 {
  // expected-error @+1 {{no registered handler resolves 'math.tau2'}}
  %0 = "cfunc.getattr"() {name = "math.tau2", operandSegmentSizes = array<i32: 0>} : () -> f64
  return %0 : f64
}

// -----

// expected-error @+1 {{phase function @missing.execute not found}}
"cfunc.lifecycle"() {execute = @missing.execute, node = "missing", start = @missing.start, stop = @missing.stop} : () -> ()
