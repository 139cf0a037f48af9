# cfuncc: --function elif_chain_pass
def elif_chain_pass(x: Signal[int]) -> Signal[int]:
    y = 0
    if x < -10:
        pass
    elif x < 0:
        y = 1
    elif x == 0:
        y = 2
    elif x < 10:
        y = 3
    else:
        y = 4
    return y
