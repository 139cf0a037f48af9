# cfuncc: --function match_int
def match_int(x: Signal[int]) -> Signal[int]:
    match x:
        case 0:
            return 100
        case 1 | 2:
            return 200
        case -1:
            return 300
        case _:
            return x * 2
