# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    match x:
        case 1 | y | 2:
            return y
    return 0
