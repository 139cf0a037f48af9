# cfuncc: --function node --types tests/diagnostics/types_enum_float_width.json
# An enum's width is an integer type.
def node(q: Signal[Q]) -> Signal[int]:
    return q.a
