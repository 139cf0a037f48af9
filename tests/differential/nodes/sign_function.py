# cfuncc: --function sign_function
def sign_function(x: Signal[float]) -> Signal[int]:
    return (x > 0) - (x < 0)
