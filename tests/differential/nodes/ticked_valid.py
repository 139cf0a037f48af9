# cfuncc: --function ticked_valid
def ticked_valid(x: Signal[float], y: Signal[float]) -> Outputs(sum=float, flags=int):
    f = 0
    if ticked(x):
        f += 1
    if ticked(y):
        f += 2
    if valid(x):
        f += 4
    if valid(y):
        f += 8
    if valid(x) and valid(y):
        return x + y, f
    return None, f
