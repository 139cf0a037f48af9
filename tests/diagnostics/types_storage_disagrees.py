# cfuncc: --function node --types tests/diagnostics/types_storage_disagrees.json
# A narrow type and another storage contradict each other.
def node(q: Signal[Q]) -> Signal[int]:
    return q.a
