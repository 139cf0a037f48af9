# cfuncc: --function run_time_length
# An array's length is part of its type: a run-time value, a float or a
# length beyond the limit is a compile error.
def run_time_length(n: Signal[int]) -> Signal[int]:
    a = create_new_array(int, n)
    b = create_new_array(float, 2.0)
    c = create_new_array(bool, 100000000)
    return 0
