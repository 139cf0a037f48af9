# cfuncc: --function node --types tests/diagnostics/types.json
def node(q: Signal[Quote]) -> Signal[Quote]:
    best: State[Quote] = q
    return best
