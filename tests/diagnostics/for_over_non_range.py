# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    n = 0
    for i in x:
        n += i
    return n
