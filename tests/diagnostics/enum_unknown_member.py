# cfuncc: --function node --types tests/diagnostics/types.json
def node(side: Signal[Side]) -> Signal[bool]:
    return side == Side.HOLD
