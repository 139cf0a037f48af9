# cfuncc: --function node
async def node(x: Signal[int]) -> Signal[int]:
    return x
