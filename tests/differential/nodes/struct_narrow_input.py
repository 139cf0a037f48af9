# cfuncc: --function struct_narrow_input --types tests/differential/types.json
# A packed struct input with every width: the host writes each field at its
# width (the low N bits of an int, a float rounded to float32), and the node
# reads them widened: signed fields sign-extend, unsigned ones zero-extend,
# uint64 reads back wrapped. Enum-typed fields have the enum's width.
def struct_narrow_input(q: Signal[Narrow], k: Signal[int]) -> Outputs(total=int, f=float, big=int, wrapped=bool, buy=bool, arca=bool):
    total = q.i8 + q.u8 + q.i16 + q.u16 + q.i32 + q.u32 + k
    if q.flag:
        total += q.i64
    f = q.f32 * 2.0 + q.f64
    return total, f, q.u64, q.u64 < 0, q.side == Side.BUY, q.venue == Venue.ARCA
