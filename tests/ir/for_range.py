# cfuncc: --function tri
# CHECK-LABEL: func.func private @tri.execute
# CHECK: llvm.alloca
# CHECK: arith.cmpi slt
# CHECK: arith.addi
# CHECK: cf.br
def tri(n: Signal[int]) -> Signal[int]:
    s = 0
    for i in range(n):
        s += i
    return s
