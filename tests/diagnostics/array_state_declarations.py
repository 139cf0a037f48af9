# cfuncc: --function declarations
# Array state is declared State[NumbaArray] and created by
# create_new_array(T, N); other spellings are errors.
def declarations(value: Signal[int]) -> Signal[int]:
    a: State[NumbaArray] = 0
    return value
