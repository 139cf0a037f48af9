# cfuncc: --function node --types tests/diagnostics/types.json
def node(q: Signal[Quote]) -> Signal[float]:
    best: State[Quote] = Quote(1.0, 2, True, 4)
    return best.bid
