# cfuncc: --function while_collatz
def while_collatz(n: Signal[int]) -> Signal[int]:
    if n < 1:
        return None
    steps = 0
    while n != 1 and steps < 500:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps
