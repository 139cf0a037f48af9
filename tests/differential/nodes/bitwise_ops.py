# cfuncc: --function bitwise_ops
def bitwise_ops(a: Signal[int], b: Signal[int]) -> Outputs(band=int, bor=int, bxor=int, shl=int, shr=int):
    s = b & 15
    return a & b, a | b, a ^ b, a << s, a >> s
