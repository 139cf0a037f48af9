// RUN: cfunc-opt %s --split-input-file --verify-diagnostics
//
// Invalid MLIR text: the parser's errors, at their line and column.

func.func @f() {
  // expected-error @+1 {{unregistered operation 'cfunc.nope' found in dialect ('cfunc') that does not allow unknown operations}}
  %0 = "cfunc.nope"() : () -> i64
  return
}

// -----

// expected-error @+1 {{expected dynamic type}}
func.func @g(%l: !cfunc.set<i64>) {
  return
}

// -----

func.func @h() {
  // expected-error @+1 {{expected operation name in quotes}}
  %0 = arith.constant 1 : i64 +
  return
}

// -----

func.func @k() {
  %0 = arith.constant 1 : i64
  // expected-error @+1 {{use of undeclared SSA value name}}
  return %1 : i64
}
