# cfuncc: --function node
@extern(pure=False)
def log_tick(x: float) -> None: ...

def node(x: Signal[float]) -> Signal[float]:
    return log_tick(x) + 1.0
