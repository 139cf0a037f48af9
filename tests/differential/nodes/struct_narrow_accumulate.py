# cfuncc: --function struct_narrow_accumulate --types tests/differential/types.json
# Narrow struct state across ticks: a float32 sum rounds at every step (it
# drifts from the double sum), an int32 count and an int8 enum field wrap,
# a uint16 field keeps its low 16 bits; the initial fields are stored at
# their widths too (3000000000 in an int32 starts negative). START resets
# it (zero-filled, then the initializer's fields).
def struct_narrow_accumulate(x: Signal[int], y: Signal[float]) -> Outputs(px=float, exact=float, qty=int, side=int, lots=int, live=bool):
    s: State[Quote32] = Quote32(px=0.1, qty=3000000000, side=-1, lots=70000)
    exact: State[float] = 0.1
    s.px += y
    exact += y
    s.qty += x
    s.side -= 100
    s.lots *= 3
    if s.qty < 0:
        s.live = not s.live
    return s.px, exact, s.qty, s.side, s.lots, s.live
