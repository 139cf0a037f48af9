# cfuncc: --function f
def f(x: Signal[int]) -> Signal[int]:
    y = foo(x)
    z = y + 1
    if x > 0:
        w = x @ 2
        for i in range(3):
            break
    global counter
    counter += 1
    v = undefined_thing
    return z + v + w + counter
