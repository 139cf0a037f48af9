# cfuncc: --function stamp
def stamp(t: Signal[datetime]) -> Signal[datetime]:
    last: State[datetime] = 0
    last = t
    return last
