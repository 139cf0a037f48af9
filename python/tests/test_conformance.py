"""Every conformance case compiled from Python: even cases through
compile() and instance(); odd ones as the seed's users write them, a
decorated function in a module compiled with compat.create_compiled_func
and called through ``compiled_func.address`` by a ctypes host. All must
equal the expected outputs (the seed's, or CPython's for the upstream
cases of tests/conformance).

A case with helpers or imports of its own, ``types`` (structs, enums) or
``options`` (``--datetime-as-int``) always goes through compile(): its
``types`` document is compile's ``types``, ``--datetime-as-int`` its
``datetime_as_int``; struct values cross as lists in field order, which
this test maps to and from the cases' ``{field: value}``."""

import importlib.util

import pytest

import cfuncc
from cfuncc import compat
from conftest import CtypesHost, conformance_cases, function_name, same

CASES = conformance_cases()
OPTIONS = {"--datetime-as-int"}


def test_every_case_is_here():
    assert len(CASES) >= 77


def _seed_style_fits(case) -> bool:
    """Whether the case is one bare node, as _seed_style's module needs."""
    return (
        case["source"].startswith("def ")
        and "function" not in case
        and "types" not in case
        and not case.get("options")
    )


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["name"] for c in CASES])
def test_case(index, tmp_path):
    case = CASES[index]
    assert set(case.get("options", [])) <= OPTIONS, case.get("options")
    via_address = index % 2 == 1 and _seed_style_fits(case)
    if via_address:
        result = _seed_style(case, tmp_path)
        inst = CtypesHost(result.node, result.compiled_func.address)
        node = result.node
    else:
        node = cfuncc.compile(
            case["source"],
            function=function_name(case["source"], case),
            constants=case["constants"],
            types=case.get("types"),
            datetime_as_int="--datetime-as-int" in case.get("options", []),
            cache=False,
        )
        inst = node.instance()
    m = node.manifest
    structs = m.get("structs") or {}
    fields = {name: [f["name"] for f in s["fields"]] for name, s in structs.items()}
    in_types = [i["type"] for i in m["inputs"]]
    outputs = m["outputs"]
    # As `cfuncc run` prints them: {name: value} for named or several outputs.
    named = bool(node.named_outputs) or len(outputs) != 1
    inst.start()
    got, expected = [], []
    for tick in case["ticks"]:
        if "phase" in tick:
            (inst.start if tick["phase"] == "start" else inst.stop)()
            continue
        ticked, valid = tick.get("ticked"), tick.get("valid")
        values = [
            [v[f] for f in fields[t]] if t in fields else v
            for v, t in zip(tick["inputs"], in_types)
        ]
        if via_address:
            out = inst.execute(values, ticked, valid)
        else:
            out = inst.execute(*values, ticked=ticked, valid=valid)
            if named:
                out = [out.get(o["name"]) for o in outputs]
            else:
                out = [out]
        out = [
            dict(zip(fields[o["type"]], v)) if o["type"] in fields and v is not None else v
            for v, o in zip(out, outputs)
        ]
        got.append({o["name"]: v for v, o in zip(out, outputs)} if named else out)
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
