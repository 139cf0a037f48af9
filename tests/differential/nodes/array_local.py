# cfuncc: --function local_arrays
# Local arrays live on the stack: zero-filled each time the constructor
# runs (in a loop too), written and read by computed indices, aliased by
# another name (the same array, as in Python), truth-tested (never empty),
# their length from a module constant.
N = 5


def local_arrays(x: Signal[int], k: Signal[int]) -> Signal[int]:
    squares = create_new_array(int, N)
    for i in range(len(squares)):
        squares[i] = i * i + x
    flags = create_new_array(bool, 3)
    flags[k % 3] = True
    same = squares
    same[-1] += 100
    acc = 0
    for r in range(3):
        row = create_new_array(int, 2)
        row[0] += r
        row[1] = row[0] + squares[r]
        acc += row[0] + row[1]
    if squares and flags[1]:
        acc += 1000
    return acc + squares[N - 1] + squares[k % N] + sum(flags)
