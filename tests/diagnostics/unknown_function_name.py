# cfuncc: --function node
def nodee(x: Signal[int]) -> Signal[int]:
    return x
