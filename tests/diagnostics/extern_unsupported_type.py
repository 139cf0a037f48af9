# cfuncc: --function node
@extern
def name_of(code: str) -> int: ...

def node(b: Signal[int]) -> Signal[int]:
    return b
