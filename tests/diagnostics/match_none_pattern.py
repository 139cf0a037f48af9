# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    match x:
        case None:
            return 0
    return x
