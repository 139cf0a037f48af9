# cfuncc: --function node --types tests/diagnostics/types_enum_member_too_wide.json
# An enum member must fit the enum's declared width.
def node(q: Signal[Q]) -> Signal[int]:
    return q.a
