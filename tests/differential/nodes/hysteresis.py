# cfuncc: --function hysteresis --const hi=2.0 --const lo=-1.0
def hysteresis(x: Signal[float], hi: float, lo: float) -> Signal[int]:
    state: State[int] = 0
    if state == 0 and x > hi:
        state = 1
    elif state == 1 and x < lo:
        state = 0
    else:
        return None
    return state
