# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    with open_thing() as t:
        pass
    return x
