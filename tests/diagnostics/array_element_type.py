# cfuncc: --function bad_elements
# Array elements are int, float or bool.
def bad_elements(x: Signal[int]) -> Signal[int]:
    a = create_new_array(datetime, 3)
    b = create_new_array(str, 3)
    c = create_new_array(int)
    d = create_new_array(int, 3, 4)
    return 0
