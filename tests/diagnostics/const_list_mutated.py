# cfuncc: --function node --const w=[1,2]
def node(x: Signal[int], w: NumbaList[int]) -> Signal[int]:
    w.append(x)
    return len(w)
