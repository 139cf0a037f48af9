# cfuncc: --function node
def node(x: Signal[int], **options) -> Signal[int]:
    return x
