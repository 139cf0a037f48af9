# RUN: cfunc-opt %s --function f --emit-stage llvm-dialect --mlir-timing 2>&1 >/dev/null | sed -E 's/[0-9]+\.[0-9]+/N/g' | FileCheck %s
# RUN: cfuncc compile %s --function f -o %t.so --timings 2>&1 >/dev/null | sed -E 's/[0-9]+\.[0-9]+/N/g' | FileCheck %s --check-prefix=CFUNCC
# The per-pass time table of cfunc-opt and the per-phase table of cfuncc
# (times replaced by N).
# BLESS: CHECK
# BLESS: CFUNCC
def f(x: Signal[int]) -> Signal[int]:
    return x + 1

# CHECK: ===-------------------------------------------------------------------------===
# CHECK-NEXT: ... Execution time report ...
# CHECK-NEXT: ===-------------------------------------------------------------------------===
# CHECK-NEXT: Total Execution Time: N seconds
# CHECK-EMPTY:
# CHECK-NEXT: ----Wall Time----  ----Name----
# CHECK-NEXT: N ( N%)  (frontend)
# CHECK-NEXT: N (  N%)  cfunc-resolve
# CHECK-NEXT: N (  N%)  cfunc-lower-arith
# CHECK-NEXT: N (  N%)  cfunc-simplify-containers
# CHECK-NEXT: N (  N%)  cfunc-fuse-dict-updates
# CHECK-NEXT: N (  N%)  cfunc-lower-containers
# CHECK-NEXT: N (  N%)  cfunc-lower-arrays
# CHECK-NEXT: N (  N%)  cfunc-lower-lifecycle
# CHECK-NEXT: N (  N%)  cfunc-lower-faults
# CHECK-NEXT: N (  N%)  cfunc-lower-io
# CHECK-NEXT: N (  N%)  cfunc-lower-state
# CHECK-NEXT: N ( N%)  cfunc-to-llvm
# CHECK-NEXT: N ( N%)  (verify)
# CHECK-NEXT: N ( N%)  (print)
# CHECK-NEXT: N (N%)  Total
# CFUNCC: phase                                     ms
# CFUNCC-NEXT: parse                                  N
# CFUNCC-NEXT: frontend (ex. parse)                   N
# CFUNCC-NEXT: cfunc-resolve                        N
# CFUNCC-NEXT: cfunc-lower-arith                    N
# CFUNCC-NEXT: cfunc-simplify-containers            N
# CFUNCC-NEXT: cfunc-fuse-dict-updates              N
# CFUNCC-NEXT: cfunc-lower-containers               N
# CFUNCC-NEXT: cfunc-lower-arrays                   N
# CFUNCC-NEXT: cfunc-lower-lifecycle                N
# CFUNCC-NEXT: cfunc-lower-faults                   N
# CFUNCC-NEXT: cfunc-lower-io                       N
# CFUNCC-NEXT: cfunc-lower-state                    N
# CFUNCC-NEXT: cfunc-to-llvm                        N
# CFUNCC-NEXT: (verify)                             N
# CFUNCC-NEXT: passes                                 N
# CFUNCC-NEXT: translate + IR transforms              N
# CFUNCC-NEXT: LLVM passes                           N
# CFUNCC-NEXT: codegen                                N
# CFUNCC-NEXT: link                                   N
# CFUNCC-NEXT: total                                 N
# CFUNCC-NEXT: wall (incl. manifest)                 N
# CFUNCC-NEXT: linker: builtin
