# RUN: cfunc-opt %s --function f --pass-pipeline='builtin.module(cfunc-resolve,cfunc-lower-arith,cfunc-lower-lifecycle,cfunc-lower-io,inline,symbol-dce,func.func(canonicalize,cse))' | FileCheck %s
# cfunc passes and upstream passes in one pipeline. Once the cfunc ops of
# the phase functions are lowered, `inline` moves them into the exported
# function (IRDL ops have no inliner interface, so not before), canonicalize
# drops the empty START and STOP cases, and CSE merges the two `x // 4`.
# BLESS: CHECK func.func @f(
def f(x: Signal[int]) -> Signal[int]:
    return x // 4 + x // 4 + abs(x)

# CHECK-LABEL: func.func @f(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: cf.switch %arg3 : i8, [
# CHECK-NEXT: default: ^bb1,
# CHECK-NEXT: 0: ^bb2
# CHECK-NEXT: ]
# CHECK-NEXT: ^bb1:  // 2 preds: ^bb0, ^bb2
# CHECK-NEXT: return
# CHECK-NEXT: ^bb2:  // pred: ^bb0
# CHECK-NEXT: call @f.execute(%arg0, %arg1, %arg2, %arg3, %arg4, %arg5, %arg6) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, i8, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: }
