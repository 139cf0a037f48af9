# cfuncc: --function node --const n=0.5
def node(x: Signal[int], n: int) -> Signal[int]:
    return x * n
