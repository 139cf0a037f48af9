# cfuncc: --function node --types tests/diagnostics/types_overlapping_fields.json
# Fields must not overlap: an int32 at offset 1 covers bytes 1..5, the int16 at 0 bytes 0..2.
def node(q: Signal[Q]) -> Signal[int]:
    return q.a
