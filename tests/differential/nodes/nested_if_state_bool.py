# cfuncc: --function nested_if_state_bool
def nested_if_state_bool(x: Signal[int]) -> Signal[int]:
    seen_neg: State[bool] = False
    streak: State[int] = 0
    if x < 0:
        seen_neg = True
        streak = 0
    else:
        if seen_neg:
            streak += 2
        else:
            streak += 1
    return streak
