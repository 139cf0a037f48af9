# cfuncc: --function unary_ops
def unary_ops(x: Signal[int], f: Signal[float]) -> Outputs(neg=int, inv=int, pos=float, nf=float, lnot=bool):
    return -x, ~x, +f, -f, not x
