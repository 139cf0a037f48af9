# cfuncc: --function break_continue
def break_continue(n: Signal[int], stop: Signal[int]) -> Signal[int]:
    acc = 0
    for i in range(n):
        if i % 2 == 1:
            continue
        if i > stop:
            break
        acc += i
    return acc
