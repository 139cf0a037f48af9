# cfuncc: --function f
# CHECK-LABEL: func.func private @f.execute
# CHECK: "cfunc.call"(%{{.*}}) {callee = "math.sqrt", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
# CHECK: "cfunc.getattr"() {name = "math.pi"
import math
def f(x: Signal[float]) -> Signal[float]:
    return math.sqrt(x) + math.pi
