# cfuncc: --function node --const n=2 --const m=3
def node(x: Signal[int], n: int) -> Signal[int]:
    return x * n
