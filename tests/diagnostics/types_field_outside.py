# cfuncc: --function node --types tests/diagnostics/types_field_outside.json
# A field must lie inside the struct: a uint32 at offset 6 ends at byte 10 of 8.
def node(q: Signal[Q]) -> Signal[int]:
    return q.a
