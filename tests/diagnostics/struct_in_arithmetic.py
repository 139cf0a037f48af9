# cfuncc: --function node --types tests/diagnostics/types.json
def node(q: Signal[Quote]) -> Signal[float]:
    return q + 1.0
