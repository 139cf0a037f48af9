# cfuncc: --function nested_loops
def nested_loops(n: Signal[int]) -> Signal[int]:
    total = 0
    for i in range(n):
        for j in range(i, n):
            if j - i > 3:
                break
            if (i + j) % 3 == 0:
                continue
            total += i * j
    return total
