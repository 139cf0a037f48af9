# cfuncc: --function node --types tests/diagnostics/types.json
def node(q: Signal[Quote]) -> Signal[float]:
    return float(q == q)
