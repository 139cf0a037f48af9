# cfuncc: --function aug_int_ops
def aug_int_ops(x: Signal[int], y: Signal[int]) -> Signal[int]:
    a = x
    a += y
    a -= 3
    a *= y
    a //= 7
    a %= 1000
    a **= 2
    a <<= 3
    a >>= 2
    a &= 0xFFFF
    a |= 0x100
    a ^= x
    return a
