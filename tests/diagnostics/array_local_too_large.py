# cfuncc: --function big_local
# A local array lives on the stack, so it is limited to 64 KiB; array state
# (the host's memory) may be larger.
def big_local(value: Signal[int]) -> Signal[int]:
    big: State[NumbaArray] = create_new_array(float, 100000)
    tmp = create_new_array(float, 10000)
    return value + len(big) + len(tmp)
