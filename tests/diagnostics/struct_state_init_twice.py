# cfuncc: --function node --types tests/diagnostics/types.json
def node(q: Signal[Quote]) -> Signal[float]:
    best: State[Quote] = Quote(1.0, bid=2.0)
    return best.bid
