# cfuncc: --function node --types tests/diagnostics/types.json
def node(q: Signal[Quote]) -> Signal[float]:
    q.size = q.bid
    return q.bid
