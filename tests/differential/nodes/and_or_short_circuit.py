# cfuncc: --function and_or_short_circuit
def and_or_short_circuit(a: Signal[int], b: Signal[int]) -> Signal[bool]:
    ok = b != 0 and a // b > 2
    alt = b == 0 or a % b == 0
    return ok or (alt and a > 0)
