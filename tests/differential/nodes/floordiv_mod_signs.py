# cfuncc: --function floordiv_mod_signs
def floordiv_mod_signs(a: Signal[int], b: Signal[int]) -> Signal[int]:
    if b == 0:
        return None
    q = a // b
    r = a % b
    return q * 1000 + r
