# cfuncc: --function node --types tests/diagnostics/types.json
def node(q: Signal[Quote]) -> Signal[float]:
    best: State[Quote] = Quote(bid=q.bid)
    return best.bid
