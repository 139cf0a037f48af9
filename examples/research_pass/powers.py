# A node with small constant integer powers: what int-pow-to-mul rewrites.
#   research-bench examples/research_pass/powers.py --function powers \
#     --variant with= --variant without='--disable-pass int-pow-to-mul'


def powers(n: Signal[int], x: Signal[float]) -> Signal[float]:
    acc: State[float] = 0.0
    k = n % 1000
    acc = acc * 0.5 + float(k ** 3 - (k + 1) ** 4 + k ** 2) * 1e-9 + x
    return acc
