# cfuncc: --function node
def node(x: Signal[float]) -> Outputs(count=int, mean=float):
    set_output("total", x)
