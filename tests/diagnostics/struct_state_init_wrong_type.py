# cfuncc: --function node --types tests/diagnostics/types.json
def node(q: Signal[Quote]) -> Signal[float]:
    best: State[Quote] = Quote(size=1.5)
    return best.bid
