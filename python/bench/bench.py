"""The Python package against the seed, measured in one run (make bench-python).

1. Import plus first compile of ema in a fresh interpreter: `import cfuncc;
   cfuncc.compile(...)` against `import numba_cfunc_compiler` plus the seed's
   compile, interleaved, REPEAT runs each, medians.
2. Ticks of ema from numpy: cfuncc's replay (native loop) over 10,000,000
   ticks, against a per-tick Python loop over the seed's compiled function
   and the same loop over cfuncc's address (the seed's own ctypes harness
   drives both), over LOOP_TICKS ticks; all reported in ns per tick.

Runs in a virtual environment holding both packages (the Makefile's
bench-python target builds it). Prints a Markdown table.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

REPEAT = int(os.environ.get("REPEAT", "5"))
REPLAY_TICKS = 10_000_000
LOOP_TICKS = int(os.environ.get("LOOP_TICKS", "1000000"))

BODY = """

@numba_node
def ema(x: Signal[float], alpha: float) -> Signal[float]:
    s: State[float] = 0.0
    s = alpha * x + (1.0 - alpha) * s
    return s
"""
# The same node, once importing the seed's markers and once cfuncc's, so
# that neither side's measurement imports the other package.
EMA_SEED = (
    "from numba_cfunc_compiler.numba_config import State\n"
    "from numba_cfunc_compiler.tests.harness import Signal, numba_node\n" + BODY
)
EMA_OURS = "from cfuncc.compat import Signal, State, numba_node\n" + BODY

CFUNCC_FIRST = """
import time; t = time.perf_counter()
import cfuncc, ema_ours
cfuncc.compile(ema_ours.ema, constants={"alpha": 0.5}, cache=False)
print(time.perf_counter() - t)
"""

SEED_FIRST = """
import time; t = time.perf_counter()
import numba_cfunc_compiler
from numba_cfunc_compiler.tests.harness import compile_function
import ema_seed
compile_function(ema_seed.ema, alpha=0.5)
print(time.perf_counter() - t)
"""


def fresh(code: str, cwd: str) -> float:
    """Wall time of the code's import and compile, as it measures itself,
    plus nothing of interpreter start (same for both)."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NUMBA_CACHE_DIR=tempfile.mkdtemp())
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    import numpy as np

    work = tempfile.mkdtemp(prefix="cfuncc-pybench-")
    for name, text in [("ema_ours", EMA_OURS), ("ema_seed", EMA_SEED)]:
        with open(os.path.join(work, f"{name}.py"), "w") as f:
            f.write(text)
    sys.path.insert(0, work)

    ours, seed = [], []
    for _ in range(REPEAT):
        ours.append(fresh(CFUNCC_FIRST, work))
        seed.append(fresh(SEED_FIRST, work))
    rows = [
        ("import + first compile of ema, fresh interpreter", statistics.median(ours) * 1e3,
         statistics.median(seed) * 1e3, "ms"),
    ]

    import cfuncc
    from cfuncc import compat
    import ema_ours
    import ema_seed
    from numba_cfunc_compiler.tests.harness import CompiledNode, compile_function

    node = cfuncc.compile(ema_ours.ema, constants={"alpha": 0.5})
    x = np.random.default_rng(1).normal(size=REPLAY_TICKS)
    best = min(_timed(lambda: node.replay([x])) for _ in range(3))
    replay_ns = best / REPLAY_TICKS * 1e9

    def loop(result) -> float:
        h = CompiledNode(result, input_types=[float]).start()
        xs = x[:LOOP_TICKS].tolist()
        t = time.perf_counter()
        for v in xs:
            h.execute([v])
        return (time.perf_counter() - t) / LOOP_TICKS * 1e9

    seed_result = compile_function(ema_seed.ema, alpha=0.5)
    ours_result = compat.create_compiled_func(ema_ours.ema, None, 0.5)
    seed_loop = min(loop(seed_result) for _ in range(2))
    ours_loop = min(loop(ours_result) for _ in range(2))
    # Same outputs through both loops and the replay.
    check = x[:1000]
    r = node.replay([check]).outputs[0]
    h = CompiledNode(seed_result, input_types=[float]).start()
    seed_out = [h.execute([v])[0] for v in check.tolist()]
    assert np.allclose(r, seed_out, rtol=1e-12, atol=0), "replay differs from the seed"

    rows += [
        ("ema tick: cfuncc replay (10M ticks, native loop)", replay_ns, None, "ns/tick"),
        ("ema tick: Python loop over the compiled function (seed's ctypes harness)", ours_loop,
         seed_loop, "ns/tick"),
    ]
    print(f"cfuncc {cfuncc.__version__} (LLVM {cfuncc.llvm_version}) beside numba-cfunc-compiler; "
          f"{REPEAT} fresh interpreters each, {LOOP_TICKS:,} loop ticks\n")
    print("| measured | cfuncc | seed 0.3.1 | unit |")
    print("|---|---|---|---|")
    for what, a, b, unit in rows:
        bs = "—" if b is None else f"{b:,.1f}"
        print(f"| {what} | {a:,.1f} | {bs} | {unit} |")


def _timed(f) -> float:
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
