# cfuncc: --function named_outputs_mixed
def named_outputs_mixed(x: Signal[float]) -> Outputs(a=float, b=float):
    set_output("a", x * 2.0)
    if x < 0.0:
        return None
    return None, x + 1.0
