# cfuncc: --function f
# RUN: cfunc-opt %s --function f --pass-pipeline='cfunc-resolve' | FileCheck %s
# CHECK-LABEL: func.func private @f.execute
# CHECK-NOT: cfunc.call
# CHECK-DAG: arith.constant 3.14159
# CHECK-DAG: math.sqrt
import math
def f(x: Signal[float]) -> Signal[float]:
    return math.sqrt(x) + math.pi
