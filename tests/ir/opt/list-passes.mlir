// RUN: cfunc-opt --list-passes | FileCheck %s
// RUN: cfunc-opt --list-passes | grep -o '^  [a-z0-9.-]*' | while read p; do cfunc-opt --pass-pipeline="builtin.module($p)" < %s > /dev/null || exit 1; done
// Every listed pass, cfunc or upstream, runs alone on an empty module.
// BLESS: CHECK

// CHECK: cfunc passes (the default pipeline, in order):
// CHECK-NEXT: cfunc-resolve                resolve cfunc.call/cfunc.getattr through the registered handlers
// CHECK-NEXT: cfunc-lower-arith            Python //, %, **, shifts and float->int to arith/math/scf
// CHECK-NEXT: cfunc-simplify-containers    forward known container reads (get after set, repeated get, len after appends)
// CHECK-NEXT: cfunc-fuse-dict-updates      d[k] = d.get(k, x) + v and d[k] += v probe the dict once (cfunc.dict_slot)
// CHECK-NEXT: cfunc-lower-containers       list and dict ops to calls into the container runtime, with fault checks
// CHECK-NEXT: cfunc-lower-arrays           fixed-size array ops to loads and stores, with index fault checks
// CHECK-NEXT: cfunc-lower-lifecycle        cfunc.lifecycle to the exported ABI function dispatching on the phase
// CHECK-NEXT: cfunc-lower-faults           cfunc.check to a branch that records the fault and returns
// CHECK-NEXT: cfunc-lower-io               signal inputs and outputs to llvm loads/stores through the ABI arrays
// CHECK-NEXT: cfunc-lower-state            state slots to llvm loads/stores through state[i]
// CHECK-NEXT: cfunc-to-llvm                upstream conversions of func/arith/math/scf/cf to the llvm dialect
// CHECK-NEXT: upstream MLIR passes (any registered pass works; these are the common ones):
// CHECK-NEXT: canonicalize                 fold ops and apply each op's canonicalization patterns
// CHECK-NEXT: cse                          eliminate common subexpressions (ops without side effects)
// CHECK-NEXT: inline                       inline func.call of private functions (cfunc's phase functions)
// CHECK-NEXT: symbol-dce                   remove private symbols nothing refers to
// CHECK-NEXT: sccp                         sparse conditional constant propagation
// CHECK-NEXT: mem2reg                      promote llvm.alloca slots to SSA values (anchor: func.func(mem2reg))
// CHECK-NEXT: sroa                         split aggregate memory slots into scalars
// CHECK-NEXT: loop-invariant-code-motion   hoist loop-invariant ops out of scf loops
// CHECK-NEXT: control-flow-sink            sink ops into the regions that use them
// CHECK-NEXT: remove-dead-values           remove unused values, arguments and results
// CHECK-NEXT: strip-debuginfo              replace every location with loc(unknown)
// CHECK-NEXT: print-op-stats               print the number of ops of each kind
// CHECK-NEXT: print-ir                     print the IR at this point of the pipeline
// CHECK-NEXT: convert-scf-to-cf            scf.while/scf.if to cf branches
// CHECK-NEXT: convert-math-to-llvm         math ops to llvm intrinsics
// CHECK-NEXT: convert-math-to-libm         remaining math ops to libm calls
// CHECK-NEXT: convert-arith-to-llvm        arith ops to llvm ops
// CHECK-NEXT: convert-cf-to-llvm           cf branches to llvm branches
// CHECK-NEXT: convert-func-to-llvm         func.func/call/return to llvm.func/call/return
// CHECK-NEXT: convert-ub-to-llvm           ub.poison to llvm.mlir.poison
// CHECK-NEXT: reconcile-unrealized-casts   fold unrealized_conversion_cast pairs
