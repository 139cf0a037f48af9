# cfuncc: --function struct_narrow_store --types tests/differential/types.json
# Stores into every width of a packed, unaligned struct keep the low N bits
# (as ctypes does) and round float32 to nearest even; reading the fields
# back widens them (uint64 reads back wrapped, as cfuncc's int64).
def struct_narrow_store(x: Signal[int], y: Signal[float]) -> Outputs(s=Narrow, back=int, f=float):
    n: State[Narrow] = None
    n.i8 = x
    n.u8 = x
    n.i16 = x
    n.u16 = x
    n.i32 = x
    n.u32 = x
    n.i64 = x
    n.u64 = x
    n.f32 = y
    n.f64 = y
    n.flag = x > 0
    n.side = x
    n.venue = x
    back = n.i8 + n.u8 + n.i16 + n.u16 + n.side + n.venue
    return n, back, n.f32 - n.f64
