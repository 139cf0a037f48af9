# cfuncc: --function match_no_default
def match_no_default(x: Signal[int]) -> Signal[float]:
    y = 0.5
    match x % 4:
        case 0:
            y = 1.5
        case 3:
            return None
    return y * x
