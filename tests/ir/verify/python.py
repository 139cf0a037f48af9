# RUN: cfunc-opt %s --function f --split-input-file --verify-diagnostics
# --verify-diagnostics on Python: the frontend's errors and the passes'
# errors are checked against `# expected-error` annotations like MLIR's.
def f(x: Signal[int]) -> Signal[int]:
    # expected-error @+1 {{try/except is not supported: faults stop the tick and are reported to the host}}
    try:
        return x
    except ValueError:
        return 0

# -----

def f(x: Signal[int]) -> Signal[int]:
    # expected-error @+1 {{unknown function 'undefined_function'; supported functions are: abs,}}
    return undefined_function(x)

# -----

def f(x: Signal[int]) -> Signal[int]:
    y = x
    return z  # expected-error {{unknown name 'z': not a parameter, local, state or module-level constant}}
