# cfuncc: --function f
# ticked() and valid() read the tick's flags; an input that did not tick
# keeps its last value in the host's cell. Reading an input that is not
# valid faults (code 14): the host may pass NULL for it.
# run: [1.5, 2.0] -> {"sum": 3.5, "which": 2}
# run: {"inputs": [3.0, 4.0], "ticked": [true, false]} -> {"sum": 7.0, "which": 0}
# run: {"inputs": [5.0, 6.0], "valid": [true, false]} -> {"error": {"code": 14, "line": 15}}
# run: {"inputs": [7.0, 8.0], "ticked": [false, false]} -> {"sum": null, "which": null}
def f(a: Signal[float], b: Signal[float]) -> Outputs(sum=float, which=int):
    if not ticked(a) and not ticked(b):
        return
    w = 0
    if ticked(b) and valid(b):
        w = 2
    return a + b, w
