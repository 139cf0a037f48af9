# cfuncc: --function f
# A fault stops the tick and reports its code and Python line; the next
# tick runs normally with the state as the fault left it.
# run: [5, 0] -> [3]
# run: [6, 5] -> {"error": {"code": 5, "line": 12}}
# run: [7, -1] -> [2]
# run: [8, -9] -> {"error": {"code": 5, "line": 12}}
# run: [4, 1] -> [4]
def f(x: Signal[int], i: Signal[int]) -> Signal[int]:
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    return xs[i] // (x - 2) + x % 3
