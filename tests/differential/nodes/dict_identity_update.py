# cfuncc: --function dict_identity_update
# Found by the differential fuzzer: an update of a state dict that folds to
# an identity crashed cfunc-fuse-dict-updates.
def dict_identity_update(x: Signal[int]) -> Signal[int]:
    d: State[NumbaDict] = create_new_dict(int, int)
    d[x] = d.get(x, 1)
    d[-2] = d.get(-2, 1) * 1
    d[x] = d.get(x, 5) + 0
    return len(d)
