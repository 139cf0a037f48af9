# cfuncc: --function state_float_from_int_literal
def state_float_from_int_literal(x: Signal[int]) -> Signal[float]:
    acc: State[float] = 1
    acc = acc * 0.5 + x
    return acc
