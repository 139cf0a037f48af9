// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-resolv)' 2>&1 >/dev/null; test $? = 2
// RUN: not cfunc-opt %s --pass-pipeline='builtin.module(cfunc-resolv)' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not cfunc-opt %s --pass-pipeline='builtin.module(func.func(cfunc-lower-arith))' 2>&1 | FileCheck %s --check-prefix=NESTED
// RUN: not cfunc-opt %s --emit-stage obj 2>&1 | FileCheck %s --check-prefix=STAGE
// RUN: not cfunc-opt %s --function f 2>&1 | FileCheck %s --check-prefix=FUNCTION
// Bad usage: exit code 2 and a message naming what is wrong.
// BLESS: UNKNOWN
// BLESS: NESTED
// BLESS: STAGE
// BLESS: FUNCTION
func.func @f() {
  return
}

// UNKNOWN: cfunc-opt: error: --pass-pipeline: 'cfunc-resolv' is neither a cfunc pass nor an MLIR pass: MLIR Textual PassPipeline Parser:1:1: error: 'cfunc-resolv' does not refer to a registered pass or pass pipeline
// UNKNOWN-NEXT: cfunc-resolv
// UNKNOWN-NEXT: ^
// NESTED: cfunc-opt: error: --pass-pipeline: 'cfunc-lower-arith' runs on the whole module: write it at the top level of the pipeline, not under 'func.func'
// STAGE: cfunc-opt: error: --emit-stage obj: cfunc-opt prints MLIR; use `cfuncc compile --emit obj`
// FUNCTION: cfunc-opt: error: --function and --const apply to Python (.py) input
