# cfuncc: --function struct_none_copy --types tests/differential/types.json
# `= None` declares zero-filled struct state (the seed's spelling). Assigning
# a struct to it copies the fields at their widths; a local names the same
# struct (writes through it show); a struct output is copied at return.
def struct_none_copy(q: Signal[Small], x: Signal[int]) -> Signal[Small]:
    last: State[Small] = None
    if x == 0:
        return last
    if x < 0:
        last = q
    alias = last
    alias.a += x
    alias.b -= x
    alias.c = alias.c * 3 + q.c
    return last
