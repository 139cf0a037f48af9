# cfuncc: --function never_ticks
# csp's host passes NULL in inputs[1] until b first ticks valid: here it
# never does, and the node reads b only under ticked(b).
def never_ticks(a: Signal[int], b: Signal[int]) -> Signal[int]:
    total: State[int] = 0
    total += a
    if ticked(b):
        total += b
    return total
