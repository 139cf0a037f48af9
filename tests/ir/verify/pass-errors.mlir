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

// -----

// A slot beyond what a GEP's i32 constant index can hold (found by the
// mutation fuzzer: it crashed cfunc-lower-state, or wrapped to [-1]).
func.func @huge_slot(%state: !llvm.ptr, %v: i64) {
  // expected-error @+1 {{cfunc.state_store: slot 4294967295 is out of range (0 to 2^31 - 1)}}
  "cfunc.state_store"(%state, %v) {slot = 4294967295 : i64} : (!llvm.ptr, i64) -> ()
  return
}

// -----

func.func @negative_index(%inputs: !llvm.ptr) -> i64 {
  // expected-error @+1 {{cfunc.input_value: index -1 is out of range (0 to 2^31 - 1)}}
  %0 = "cfunc.input_value"(%inputs) {index = -1 : i64} : (!llvm.ptr) -> i64
  return %0 : i64
}

// -----

// A field's storage must hold its value type: float32 holds an f64, not
// an i64 (the verifier accepts each attribute alone; cfunc-lower-io checks
// the pair).
func.func @storage_mismatch(%p: !llvm.ptr) -> i64 {
  // expected-error @+1 {{cfunc.struct_get: storage "float32" does not hold the field's value type}}
  %0 = "cfunc.struct_get"(%p) {field = "a", offset = 0 : i64, storage = "float32"} : (!llvm.ptr) -> i64
  return %0 : i64
}

// -----

func.func @storage_mismatch_set(%p: !llvm.ptr, %b: i1) {
  // expected-error @+1 {{cfunc.struct_set: storage "int8" does not hold the field's value type}}
  "cfunc.struct_set"(%p, %b) {field = "a", offset = 0 : i64, storage = "int8"} : (!llvm.ptr, i1) -> ()
  return
}
