# cfuncc: --function node --types tests/diagnostics/types_bad_field_type.json
# A field type must be a storage (int8 ... float64, bool) or a registered type.
def node(q: Signal[Q]) -> Signal[int]:
    return q.a
