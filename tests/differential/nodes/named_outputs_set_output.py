# cfuncc: --function named_outputs_set_output
def named_outputs_set_output(x: Signal[int], y: Signal[int]) -> Outputs(total=int, diff=int, big=bool):
    set_output("total", x + y)
    if x > y:
        set_output("diff", x - y)
    if x + y > 10:
        set_output("big", True)
