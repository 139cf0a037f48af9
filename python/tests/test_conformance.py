"""Every seed conformance case compiled from Python: even cases run through
compile() and instance(), odd ones through a ctypes host calling
``address`` as the seed's hosts do. All must equal the seed's outputs."""

import pytest

import cfuncc
from conftest import CtypesHost, conformance_cases, function_name, same

CASES = conformance_cases()


def test_every_case_is_here():
    assert len(CASES) >= 22


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["name"] for c in CASES])
def test_case(index):
    case = CASES[index]
    node = cfuncc.compile(
        case["source"],
        function=function_name(case["source"]),
        constants=case["constants"],
        cache=False,
    )
    via_address = index % 2 == 1
    inst = CtypesHost(node) if via_address else node.instance()
    inst.start()
    got, expected = [], []
    for tick in case["ticks"]:
        if "phase" in tick:
            (inst.start if tick["phase"] == "start" else inst.stop)()
            continue
        ticked = tick.get("ticked")
        if via_address:
            out = inst.execute(tick["inputs"], ticked)
        else:
            out = inst.execute(*tick["inputs"], ticked=ticked)
            out = [out] if not isinstance(out, dict) else list(out.values())
        got.append(out)
        expected.append(tick["expected"])
    inst.stop()
    assert all(same(g, e) for g, e in zip(got, expected)) and len(got) == len(expected), (
        f"{case['name']}: expected {expected}, got {got}"
    )
