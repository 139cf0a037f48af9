# cfuncc: --function warm_array
# Array state across the lifecycle: filled in a `with start():` block,
# zero-filled again by every START before it, still readable after STOP
# (host memory: no fault 9, unlike a list), read in `with stop():`.
def warm_array(x: Signal[int]) -> Signal[int]:
    hist: State[NumbaArray] = create_new_array(int, 4)
    stops: State[int] = 0
    with start():
        hist[0] += 10
        for i in range(1, len(hist)):
            hist[i] = hist[i - 1] + i
    hist[x % 4] += x
    with stop():
        stops += hist[0]
    return sum(hist) * 1000 + stops
