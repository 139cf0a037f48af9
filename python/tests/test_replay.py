"""replay() runs a whole series natively: it equals execute() tick by tick
on a sample, and `cfuncc run` on the same ticks."""

import json
import subprocess

import numpy as np

import cfuncc
from conftest import cfuncc_binary

SOURCE = """
def mix(x: Signal[float], k: Signal[int]) -> Signal[float]:
    s: State[float] = 0.0
    seen: State[NumbaDict] = create_new_dict(int, float)
    seen[k % 7] = seen.get(k % 7, 0.0) + x
    s = 0.5 * s + seen[k % 7]
    if k % 5 == 0:
        return None
    return s
"""

N = 1_000_000


def series():
    rng = np.random.default_rng(20261203)
    x = rng.normal(size=N)
    k = rng.integers(-1000, 1000, size=N)
    ticked_k = rng.random(N) > 0.1
    return x, k, ticked_k


def test_replay_of_a_million_ticks_equals_execute_and_cfuncc_run(tmp_path):
    node = cfuncc.compile(SOURCE, function="mix", cache=False)
    x, k, ticked_k = series()
    r = node.replay([x, k], ticked=[None, ticked_k])
    assert r.outputs[0].shape == (N,) and r.ticked[0].dtype == bool
    # Per-tick execute on the first 2,000 ticks.
    inst = node.instance()
    inst.start()
    sample = 2_000
    for t in range(sample):
        out = inst.execute(float(x[t]), int(k[t]), ticked=[True, bool(ticked_k[t])])
        if out is None:
            assert not r.ticked[0][t], t
        else:
            assert r.ticked[0][t] and out == r.outputs[0][t], t
    inst.stop()
    # `cfuncc run` on the first 20,000 ticks of the saved .so.
    so = tmp_path / "mix.so"
    node.save(so)
    m = 20_000
    lines = "".join(
        json.dumps({"inputs": [float(x[t]), int(k[t])], "ticked": [True, bool(ticked_k[t])]}) + "\n"
        for t in range(m)
    )
    run = subprocess.run(
        [cfuncc_binary(), "run", so], input=lines, capture_output=True, text=True, check=True
    )
    rows = [json.loads(line)["outputs"][0] for line in run.stdout.splitlines()]
    assert len(rows) == m
    for t, v in enumerate(rows):
        if v is None:
            assert not r.ticked[0][t], t
        else:
            assert r.ticked[0][t] and v == r.outputs[0][t], t


def test_replay_reports_a_fault_with_its_tick():
    node = cfuncc.compile(
        "def sh(x: Signal[int]) -> Signal[int]:\n    return 1 << x\n", function="sh", cache=False
    )
    try:
        node.replay([np.array([1, 2, -3, 4])])
    except cfuncc.NodeFault as f:
        assert (f.code, f.tick, f.line) == (1, 2, 2)
    else:
        raise AssertionError("a negative shift must fault")


def test_replay_checks_its_columns():
    node = cfuncc.compile(
        "def add(x: Signal[int], y: Signal[int]) -> Signal[int]:\n    return x + y\n",
        function="add",
        cache=False,
    )
    for bad in ([np.arange(3)], [np.arange(3), np.arange(4)], [np.zeros((2, 2)), np.arange(2)]):
        try:
            node.replay(bad)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{bad} must be refused")
    r = node.replay([np.arange(5), np.arange(5) * 10])
    assert r.outputs[0].tolist() == [0, 11, 22, 33, 44]
