# cfuncc: --function node
def node(x: Signal[float]) -> Signal[float]:
    return round(x, ndigits=2)
