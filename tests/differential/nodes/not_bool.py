# cfuncc: --function not_bool
def not_bool(p: Signal[bool], q: Signal[bool]) -> Outputs(nand=bool, xor=bool, imp=bool):
    return not (p and q), p != q, (not p) or q
