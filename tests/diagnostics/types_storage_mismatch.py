# cfuncc: --function node --types tests/diagnostics/types_storage_mismatch.json
# A float field cannot be stored as an integer.
def node(q: Signal[Q]) -> Signal[int]:
    return q.a
