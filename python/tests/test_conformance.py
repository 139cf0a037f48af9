"""Every seed conformance case compiled from Python: even cases through
compile() and instance(); odd ones as the seed's users write them, a
decorated function in a module compiled with compat.create_compiled_func
and called through ``compiled_func.address`` by a ctypes host. All must
equal the seed's outputs."""

import importlib.util

import pytest

import cfuncc
from cfuncc import compat
from conftest import CtypesHost, conformance_cases, function_name, same

CASES = conformance_cases()


def test_every_case_is_here():
    assert len(CASES) >= 22


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["name"] for c in CASES])
def test_case(index, tmp_path):
    case = CASES[index]
    via_address = index % 2 == 1
    if via_address:
        result = _seed_style(case, tmp_path)
        inst = CtypesHost(result.node, result.compiled_func.address)
    else:
        node = cfuncc.compile(
            case["source"],
            function=function_name(case["source"]),
            constants=case["constants"],
            cache=False,
        )
        inst = node.instance()
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


def _seed_style(case, tmp_path):
    """The case as a seed user's module: markers imported from the shim,
    the node decorated, constants bound by keyword, inputs by position."""
    path = tmp_path / f"{case['name']}.py"
    path.write_text(
        "from cfuncc.compat import *\n\n@numba_node\n" + case["source"]
    )
    spec = importlib.util.spec_from_file_location(case["name"], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    func = getattr(module, function_name(case["source"]))
    edges = [None] * len(case["input_types"])
    constants = {
        k: ({int(a): b for a, b in v.items()} if isinstance(v, dict) else v)
        for k, v in case["constants"].items()
    }
    return compat.create_compiled_func(
        func,
        *edges,
        extract_python_type_fn=type,
        options=compat.CompilationOptions(fastmath=False, force_inline=False),
        **constants,
    )
