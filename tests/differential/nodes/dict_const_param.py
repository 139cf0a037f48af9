# cfuncc: --function const_dict --const 'fees={1: 0.5, 2: 1.25, -1: 3.0, 0: 0.0}'
def const_dict(venue: Signal[int], qty: Signal[float], fees: NumbaDict[int, float]) -> Outputs(fee=float, known=bool, n=int, total=float):
    fee = fees.get(venue, 10.0) * qty
    total = 0.0
    for k, v in fees.items():
        total += k * v
    return fee, venue in fees, len(fees), total
