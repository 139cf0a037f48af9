# cfuncc: --function quote_state --types tests/seed_hosts/quote.json
# Struct state with an initializer (START writes it; csp's host copies the
# manifest's initial_bytes in first), a struct input that is NULL under the
# csp host until it first ticks valid, and a scalar output.
def quote_state(q: Signal[Quote], x: Signal[float]) -> Signal[float]:
    best: State[Quote] = Quote(bid=1.5, size=3, live=True)
    n: State[int] = 10
    n += 1
    if valid(q) and q.bid > best.bid:
        best.bid = q.bid
        best.size += q.size
    if best.live:
        return best.bid * best.size + n + x
    return x
