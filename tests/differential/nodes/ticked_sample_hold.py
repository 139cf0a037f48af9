# cfuncc: --function ticked_sample_hold
def ticked_sample_hold(x: Signal[int], trigger: Signal[bool]) -> Signal[int]:
    held: State[int] = -1
    if ticked(x):
        held = x
    if ticked(trigger) and trigger:
        return held
