# cfuncc: --function aug_items
# a[i] op= v on array items for every operator the element types allow,
# by positive, negative and computed indices; the item is read, then v is
# evaluated, then stored (as CPython does); a float array takes ints.
def aug_items(x: Signal[int]) -> Outputs(ints=int, floats=float, flags=int):
    a: State[NumbaArray] = create_new_array(int, 6)
    f: State[NumbaArray] = create_new_array(float, 3)
    b: State[NumbaArray] = create_new_array(bool, 2)
    a[0] += x
    a[1] -= x * 2
    a[2] = 3
    a[2] *= x
    a[3] = x + 100
    a[3] //= 7
    a[4] = x
    a[4] %= 5
    a[-1] |= x & 12
    a[-1] ^= 3
    a[-2] <<= 1
    a[-2] >>= 1
    a[x % 6] += a[(x + 1) % 6]
    f[0] += x
    f[1] = 1.5
    f[1] *= x
    f[-1] -= 0.25
    f[-1] /= 2
    b[x % 2] = x > 2
    b[-1] = not b[-1]
    return (a[0] + a[1] * 3 + a[2] * 5 + a[3] * 7 + a[4] * 11 + a[5] * 13,
            f[0] + f[1] + f[2], int(b[0]) * 2 + int(b[1]))
