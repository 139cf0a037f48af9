# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    match x:
        case _:
            return 0
        case 1:
            return 11
