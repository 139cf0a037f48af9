# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    n = 0
    async for i in range(x):
        n += 1
    return n
