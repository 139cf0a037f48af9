# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    def helper(v):
        return v + 1
    return x
