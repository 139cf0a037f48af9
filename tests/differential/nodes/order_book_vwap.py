# cfuncc: --function order_book
# An order book and a trade VWAP: price levels in two dicts (price ->
# quantity; quantity 0 removes the level), the best bid and ask, the mid and
# spread, the book's depth and imbalance, and a 20-trade VWAP over two
# parallel lists. The compile benchmark's order-book node (issue 17).
def order_book(side: Signal[int], price: Signal[float], qty: Signal[int],
               trade_px: Signal[float], trade_qty: Signal[int]) -> Outputs(
        bid=float, ask=float, mid=float, spread=float, vwap=float, depth=int, imbalance=float):
    bids: State[NumbaDict[float, int]] = create_new_dict(float, int)
    asks: State[NumbaDict[float, int]] = create_new_dict(float, int)
    pxs: State[NumbaList[float]] = create_new_list(float)
    qtys: State[NumbaList[int]] = create_new_list(int)
    notional: State[float] = 0.0
    volume: State[int] = 0
    if ticked(price):
        if side > 0:
            if qty > 0:
                bids[price] = qty
            elif price in bids:
                del bids[price]
        else:
            if qty > 0:
                asks[price] = qty
            elif price in asks:
                del asks[price]
    if ticked(trade_px) and trade_qty > 0:
        pxs.append(trade_px)
        qtys.append(trade_qty)
        notional += trade_px * trade_qty
        volume += trade_qty
        if len(pxs) > 20:
            notional -= pxs[0] * qtys[0]
            volume -= qtys[0]
            pxs.pop(0)
            qtys.pop(0)
    best_bid = 0.0
    bid_qty = 0
    for p in bids:
        bid_qty += bids[p]
        if p > best_bid:
            best_bid = p
    best_ask = 0.0
    ask_qty = 0
    first = True
    for p in asks:
        ask_qty += asks[p]
        if first or p < best_ask:
            best_ask = p
            first = False
    mid = 0.0
    spread = 0.0
    if len(bids) > 0 and len(asks) > 0:
        mid = (best_bid + best_ask) / 2.0
        spread = best_ask - best_bid
    vwap = 0.0
    if volume > 0:
        vwap = notional / volume
    depth = bid_qty + ask_qty
    imbalance = 0.0
    if depth > 0:
        imbalance = (bid_qty - ask_qty) / depth
    return best_bid, best_ask, mid, spread, vwap, depth, imbalance
