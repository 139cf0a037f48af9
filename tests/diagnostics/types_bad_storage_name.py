# cfuncc: --function node --types tests/diagnostics/types_bad_storage_name.json
# A storage name must be one of the storages.
def node(q: Signal[Q]) -> Signal[int]:
    return q.a
