# cfuncc: --function acc
# CHECK: "cfunc.lifecycle"() {execute = @acc.execute, node = "acc", start = @acc.start, stop = @acc.stop}
# CHECK-LABEL: func.func private @acc.start
# CHECK: arith.constant 100 : i64
# CHECK: "cfunc.state_store"(%arg2, %{{.*}}) {slot = 0 : i64}
# CHECK-LABEL: func.func private @acc.execute
# CHECK: "cfunc.state_load"(%arg2) {slot = 0 : i64} : (!llvm.ptr) -> i64
def acc(x: Signal[int]) -> Signal[int]:
    total: State[int] = 100
    total = total + x
    return total
