# cfuncc: --function const_bool_float --const 'mask=[True, False, True, True]' --const 'scale=[0.5, -2.0, 4.0, 1.0]'
def const_bool_float(x: Signal[float], mask: NumbaList[bool], scale: NumbaList[float]) -> Outputs(y=float, on=int, neg=bool):
    y = 0.0
    for i in range(len(mask)):
        if mask[i]:
            y += scale[i] * x
    return y, sum(mask), -2.0 in scale
