# cfuncc: --function classify
# CHECK-LABEL: func.func private @classify.execute
# CHECK: "cfunc.input_value"(%arg4) {index = 0 : i64} : (!llvm.ptr) -> i64
# CHECK: arith.cmpi sgt
# CHECK: cf.cond_br
# CHECK: "cfunc.output"(%arg0, %arg1, %{{.*}}) {index = 0 : i64}
def classify(x: Signal[int]) -> Signal[int]:
    if x > 10:
        return 2
    elif x > 0:
        return 1
    else:
        return 0
