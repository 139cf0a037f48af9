# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    match x:
        case [a, b]:
            return 1
    return x
