# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    match x:
        case 0:
            return 10
        case y:
            return y
        case 1:
            return 11
