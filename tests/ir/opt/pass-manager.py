# RUN: cfunc-opt %s --function f --pass-pipeline='builtin.module(cfunc-resolve,canonicalize,cfunc-lower-arith,func.func(cse),cfunc-lower-lifecycle)' --mlir-print-ir-before-all --mlir-print-ir-after-all --mlir-print-ir-module-scope 2>&1 >/dev/null | grep 'IR Dump' | FileCheck %s --check-prefix=ORDER
# RUN: cfunc-opt %s --function f --pass-pipeline='builtin.module(cfunc-resolve,func.func(cse))' --mlir-print-ir-after-all 2>&1 >/dev/null | FileCheck %s --check-prefix=LOCAL
# RUN: cfunc-opt %s --function f --emit-stage llvm-dialect --mlir-native-timing 2>&1 >/dev/null | sed -E 's/[0-9]+\.[0-9]+/N/g' | FileCheck %s --check-prefix=NATIVE
# RUN: cfunc-opt %s --function f --emit-stage llvm-dialect > %t.each.mlir && cfunc-opt %s --function f --emit-stage llvm-dialect --verify-each=false | diff %t.each.mlir -
# RUN: cfuncc compile %s --function f --emit llvm-dialect > %t.once.mlir && cfuncc compile %s --function f --emit llvm-dialect --verify-each | diff %t.once.mlir -
# One MLIR pass manager runs cfunc passes and upstream passes in pipeline
# order, and MLIR's instrumentation sees both kinds: IR printing names a
# cfunc pass by its class (CfuncResolve) and pipeline argument, as it names
# upstream passes (Canonicalizer, CSE); with --mlir-print-ir-module-scope a
# pass on a function prints the whole module, which it says in the header,
# and without it only the function. MLIR's execution time report
# (--mlir-native-timing) has a row per pass, cfunc-to-llvm's conversions
# each on their own. Verifying after every pass (cfunc-opt's default, as
# mlir-opt's) or once after the pipeline (cfuncc's default) gives the same
# IR.
# BLESS: ORDER
import math

def f(x: Signal[float], n: Signal[int]) -> Signal[float]:
    y = math.sqrt(x) + math.sqrt(x)
    return y + float(n // 2)

# LOCAL: // -----// IR Dump After CfuncResolve (cfunc-resolve) //----- //
# LOCAL-NEXT: module attributes {cfunc.fault_slot = 0 : i64} {
# LOCAL: // -----// IR Dump After CSE (cse) //----- //
# LOCAL-NEXT: func.func private @f.start(
# LOCAL: // -----// IR Dump After CSE (cse) //----- //
# LOCAL-NEXT: func.func private @f.stop(
# LOCAL: // -----// IR Dump After CSE (cse) //----- //
# LOCAL-NEXT: func.func private @f.execute(
# LOCAL-NOT: IR Dump
# NATIVE: ... Execution time report ...
# NATIVE: ----Wall Time----  ----Name----
# NATIVE-NEXT: CfuncResolve
# NATIVE-NEXT: CfuncLowerArith
# NATIVE-NEXT: CfuncSimplifyContainers
# NATIVE-NEXT: CfuncFuseDictUpdates
# NATIVE-NEXT: CfuncLowerContainers
# NATIVE-NEXT: CfuncLowerArrays
# NATIVE-NEXT: CfuncLowerLifecycle
# NATIVE-NEXT: CfuncLowerFaults
# NATIVE-NEXT: CfuncLowerIo
# NATIVE-NEXT: CfuncLowerState
# NATIVE-NEXT: SCFToControlFlowPass
# NATIVE-NEXT: ConvertMathToLLVMPass
# NATIVE-NEXT: ConvertMathToLibmPass
# NATIVE-NEXT: ArithToLLVMConversionPass
# NATIVE-NEXT: ConvertControlFlowToLLVMPass
# NATIVE-NEXT: ConvertFuncToLLVMPass
# NATIVE: UBToLLVMConversionPass
# NATIVE-NEXT: ReconcileUnrealizedCastsPass
# NATIVE: (N%) Total

# ORDER: // -----// IR Dump Before CfuncResolve (cfunc-resolve) ('builtin.module' operation) //----- //
# ORDER-NEXT: // -----// IR Dump After CfuncResolve (cfunc-resolve) ('builtin.module' operation) //----- //
# ORDER-NEXT: // -----// IR Dump Before Canonicalizer (canonicalize) ('builtin.module' operation) //----- //
# ORDER-NEXT: // -----// IR Dump After Canonicalizer (canonicalize) ('builtin.module' operation) //----- //
# ORDER-NEXT: // -----// IR Dump Before CfuncLowerArith (cfunc-lower-arith) ('builtin.module' operation) //----- //
# ORDER-NEXT: // -----// IR Dump After CfuncLowerArith (cfunc-lower-arith) ('builtin.module' operation) //----- //
# ORDER-NEXT: // -----// IR Dump Before CSE (cse) ('func.func' operation: @f.start) //----- //
# ORDER-NEXT: // -----// IR Dump After CSE (cse) ('func.func' operation: @f.start) //----- //
# ORDER-NEXT: // -----// IR Dump Before CSE (cse) ('func.func' operation: @f.stop) //----- //
# ORDER-NEXT: // -----// IR Dump After CSE (cse) ('func.func' operation: @f.stop) //----- //
# ORDER-NEXT: // -----// IR Dump Before CSE (cse) ('func.func' operation: @f.execute) //----- //
# ORDER-NEXT: // -----// IR Dump After CSE (cse) ('func.func' operation: @f.execute) //----- //
# ORDER-NEXT: // -----// IR Dump Before CfuncLowerLifecycle (cfunc-lower-lifecycle) ('builtin.module' operation) //----- //
# ORDER-NEXT: // -----// IR Dump After CfuncLowerLifecycle (cfunc-lower-lifecycle) ('builtin.module' operation) //----- //
