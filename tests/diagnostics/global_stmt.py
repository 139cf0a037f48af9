# cfuncc: --function node
counter = 0

def node(x: Signal[int]) -> Signal[int]:
    global counter
    counter += x
    return counter
