# cfuncc: --function quote_out --types tests/seed_hosts/quote.json
# A struct output needs more than the 8-byte cell csp offers: the manifest
# says so (outputs[0].cell_size), and the csp host refuses the node.
def quote_out(x: Signal[float]) -> Signal[Quote]:
    q: State[Quote] = Quote(2.0, 3.0)
    q.bid += x
    q.size += 1
    return q
