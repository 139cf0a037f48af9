# cfuncc: --function f
# RUN: cfunc-opt %s --function f --pass-pipeline='cfunc-lower-lifecycle' | FileCheck %s
# CHECK-NOT: cfunc.lifecycle
# CHECK-LABEL: func.func @f(
# CHECK: cf.switch %arg3 : i8, [
# CHECK: 0: ^bb2
# CHECK: 1: ^bb3
# CHECK: 2: ^bb4
# CHECK: call @f.execute
def f(x: Signal[int]) -> Signal[int]:
    return x
