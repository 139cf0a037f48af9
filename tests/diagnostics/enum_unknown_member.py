# cfuncc: --function node --types tests/diagnostics/enums.types.json
def node(side: Signal[Side]) -> Signal[bool]:
    return side == Side.HOLD
