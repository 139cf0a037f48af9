# cfuncc: --function node
def node(x: Signal[int]) -> Signal[int]:
    try:
        y = 10 // x
    except ZeroDivisionError:
        y = 0
    return y
