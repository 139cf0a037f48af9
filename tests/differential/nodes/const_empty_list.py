# cfuncc: --function const_empty_list --const 'w=[]'
def const_empty_list(x: Signal[int], w: NumbaList[float]) -> Outputs(lo=float, n=int):
    lo = 0.0
    if x > 0:
        lo = min(w)
    elif x < 0:
        lo = max(w[0:2])
    return lo, len(w)
