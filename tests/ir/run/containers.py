# cfuncc: --function window
# A rolling window over a list and a count per key in a dict.
# run: [1, 10] -> {"total": 10, "count": 1, "first": 10}
# run: [2, 20] -> {"total": 30, "count": 1, "first": 10}
# run: [1, 30] -> {"total": 60, "count": 2, "first": 10}
# run: [3, 40] -> {"total": 90, "count": 1, "first": 20}
# run: [1, 50] -> {"total": 120, "count": 3, "first": 30}
def window(k: Signal[int], v: Signal[int]) -> Outputs(total=int, count=int, first=int):
    xs: State[NumbaList] = create_new_list(int)
    counts: State[NumbaDict] = create_new_dict(int, int)
    xs.append(v)
    if len(xs) > 3:
        xs.pop(0)
    counts[k] = counts.get(k, 0) + 1
    return sum(xs), counts[k], xs[0]
