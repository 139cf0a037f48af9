# cfuncc: --function phase_first_line
def phase_first_line(x: Signal[int]) -> Signal[int]:
    c: State[int] = 10
    c += x
    return c
