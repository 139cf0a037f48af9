# cfuncc: --function w
# CHECK-LABEL: func.func private @w.execute
# CHECK: cf.cond_br
# CHECK: "cfunc.mod"
# CHECK: "cfunc.floordiv"
def w(x: Signal[int]) -> Signal[int]:
    n = 0
    while x > 0:
        if x % 2 == 0:
            break
        x = x // 3
        n += 1
    return n
