# cfuncc: --function const_list --const 'w=[3, -1, 4, 1, 5]' --const k=2
def const_list(x: Signal[int], w: NumbaList[int], k: int) -> Outputs(dot=int, has=bool, at=int, n=int, top=int):
    dot = 0
    for v in w:
        dot += v * x
    part = w[1:4]
    return dot, x in w, w[x % len(w)] + w[-k], len(w) + len(part), max(w) * 100 + min(part)
