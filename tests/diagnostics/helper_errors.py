# cfuncc: --function f
def ping(n):
    return pong(n - 1)


def pong(n):
    return ping(n)


def peek(v):
    return v + total


def log(v):
    v += 1


def scale(v, k=2):
    return v * k


def f(x: Signal[int]) -> Signal[int]:
    total: State[int] = 0
    a = ping(x)
    b = peek(x)
    c = log(x)
    d = scale(x, q=3)
    e = scale()
    g = scale(1, 2, 3)
    return a + b + c + d + e + g
