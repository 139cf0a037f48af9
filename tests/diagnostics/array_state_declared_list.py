# cfuncc: --function declared_list
# State declared as a list but created as an array.
def declared_list(value: Signal[int]) -> Signal[int]:
    a: State[NumbaList] = create_new_array(int, 3)
    return value
