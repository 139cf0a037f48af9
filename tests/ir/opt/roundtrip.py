# RUN: cfunc-opt %s --function f > %t.cfunc.mlir && cfunc-opt %t.cfunc.mlir | diff %t.cfunc.mlir -
# RUN: cfunc-opt %s --function f --mlir-print-debuginfo > %t.loc.mlir && cfunc-opt %t.loc.mlir --mlir-print-debuginfo | diff %t.loc.mlir -
# RUN: cfunc-opt %s --function f --emit-stage cfunc-lower-faults > %t.faults.mlir && cfunc-opt %t.faults.mlir | diff %t.faults.mlir -
# RUN: cfunc-opt %s --function f --emit-stage llvm-dialect > %t.llvm.mlir && cfunc-opt %t.llvm.mlir | diff %t.llvm.mlir -
# RUN: cfunc-opt %s --function f --emit-stage cfunc-simplify-containers --mlir-print-debuginfo > %t.mid.mlir && cfunc-opt %t.mid.mlir --pass-pipeline='builtin.module(cfunc-lower-containers,cfunc-lower-lifecycle,cfunc-lower-faults,cfunc-lower-io,cfunc-lower-state,cfunc-to-llvm)' | diff %t.llvm.mlir -
# cfunc-opt reads its own output back and prints it unchanged, at every
# stage and with locations; and a pipeline resumed from a stage printed
# with its locations (the faults' Python lines) gives what the whole
# pipeline gives.
def f(x: Signal[int], v: Signal[float]) -> Outputs(a=float, b=int):
    xs: State[NumbaList] = create_new_list(float)
    xs.append(v * 2.0)
    if len(xs) > 4:
        xs.pop(0)
    return sum(xs), x << 3
