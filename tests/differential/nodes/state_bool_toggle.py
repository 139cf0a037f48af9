# cfuncc: --function state_bool_toggle
def state_bool_toggle(press: Signal[bool]) -> Signal[bool]:
    on: State[bool] = False
    prev: State[bool] = False
    if press and not prev:
        on = not on
    prev = press
    return on
