"""The package's API: a function's module and globals, Python constants,
enums and ctypes structures, the CompiledNode's fields, ir(), save()."""

import ctypes
import datetime
import json

import pytest

import cfuncc
import nodes_good

UTC = datetime.timezone.utc


def test_a_function_compiles_with_its_module_and_the_values_of_its_globals():
    node = cfuncc.compile(nodes_good.windowed, cache=False)
    inst = node.instance()
    inst.start()
    # WINDOW = int("4") is computed at import; RATE is a literal.
    assert inst.execute(1.0) == 1.0 * 0.25 * 4
    assert node.address and node.native_name.startswith("_gc_numba_") or node.native_name
    assert node.output_types == ["float"]
    assert node.ordered_input_signals == ["x"]
    assert node.state_values[0] == 0.0
    assert node.manifest["schema_version"]
    assert len(node.semantic_key) == 16


def test_compiled_nodes_expose_the_seed_fields():
    node = cfuncc.compile(nodes_good.count, cache=False)
    assert node.nrt_state_indices == [0]
    assert node.struct_state_indices == [] and node.struct_state_sizes == []
    assert node.named_outputs is None
    assert isinstance(node.metadata, dict)


def test_enums_from_python_classes():
    for side, want in [(nodes_good.Side.BUY, 5), (nodes_good.Side.SELL, -5)]:
        node = cfuncc.compile(nodes_good.signed, constants={"side": side}, cache=False)
        inst = node.instance()
        inst.start()
        assert inst.execute(5) == want


def test_struct_layouts_from_ctypes():
    node = cfuncc.compile(nodes_good.mid, types=[nodes_good.Quote], cache=False)
    inst = node.instance()
    inst.start()
    assert inst.execute([99.0, 101.0, 3]) == 100.0
    layout = node.manifest["structs"]["Quote"]
    assert layout["size"] == ctypes.sizeof(nodes_good.Quote)


def test_packed_narrow_ctypes_structures():
    node = cfuncc.compile(nodes_good.packed, types=[nodes_good.Packed], cache=False)
    fields = node.manifest["structs"]["Packed"]["fields"]
    assert [(f["offset"], f["storage"]) for f in fields] == [
        (0, "bool"), (1, "float32"), (5, "int32"), (9, "uint8"), (10, "uint16")]
    inst = node.instance()
    inst.start()
    # The same operations on a ctypes.Structure give the same fields.
    for args in [(True, 0.1, 2**31 - 1, 0, 40000), (False, -2.5, -7, 255, 1)]:
        p = nodes_good.Packed(*args)
        want = nodes_good.Packed()
        want.flag = not p.flag
        want.px = p.px * 3.0
        want.qty = p.qty + 1
        want.side = p.side - 1
        want.lots = p.lots * 2
        got = inst.execute(list(args))
        assert got == [getattr(want, f) for f, _ in nodes_good.Packed._fields_]


def test_datetime_constants_and_values():
    start = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    node = cfuncc.compile(nodes_good.later, constants={"start": start}, cache=False)
    inst = node.instance()
    inst.start()
    assert inst.execute(start + datetime.timedelta(microseconds=1)) is True
    assert inst.execute(start) is False
    east = datetime.timezone(datetime.timedelta(hours=5))
    assert inst.execute(start.astimezone(east) + datetime.timedelta(seconds=1)) is True


def test_ir_stages_and_save(tmp_path):
    node = cfuncc.compile(nodes_good.scaled, constants={"factor": 3}, cache=False)
    assert "cfunc." in node.ir("cfunc")
    assert "llvm.func" in node.ir("llvm-dialect")
    assert "define" in node.ir("llvm-ir")
    assert node.native_name in node.ir("asm")
    try:
        node.ir("bytecode")
    except ValueError as e:
        assert "unknown stage" in str(e)
    else:
        raise AssertionError("an unknown stage must be refused")
    so = tmp_path / "scaled.so"
    node.save(so)
    manifest = json.loads(so.with_suffix(".json").read_text())
    assert manifest["native_name"] == node.native_name
    lib = ctypes.CDLL(str(so))
    assert getattr(lib, node.native_name)


def test_the_cache_serves_a_second_compile(tmp_path, monkeypatch):
    monkeypatch.setenv("CFUNCC_CACHE_DIR", str(tmp_path / "cache"))
    a = cfuncc.compile(nodes_good.scaled, constants={"factor": 11})
    b = cfuncc.compile(nodes_good.scaled, constants={"factor": 11})
    assert (a.cached, b.cached) == (False, True)
    i = b.instance()
    i.start()
    assert i.execute(2) == 22


def test_compiles_release_the_gil():
    import threading
    import time

    ticks = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=spin)
    t.start()
    before = len(ticks)
    for k in range(3):
        cfuncc.compile(nodes_good.scaled, constants={"factor": 100 + k}, cache=False)
    stop.set()
    t.join()
    # The other thread ran while the compiles held no GIL.
    assert len(ticks) > before


def test_the_address_is_jit_code_in_this_process():
    node = cfuncc.compile(nodes_good.scaled, constants={"factor": 5}, cache=False)
    for line in open("/proc/self/maps"):
        span, _perms, _off, _dev, _inode, *path = line.split()
        lo, hi = (int(x, 16) for x in span.split("-"))
        if lo <= node.address < hi:
            # Anonymous memory of the JIT, not a file mapped by dlopen.
            assert path == [], line
            assert "x" in _perms, line
            break
    else:
        raise AssertionError("the address is not mapped")


def test_a_node_inside_a_function_reads_its_closure():
    for k in (2, 3):
        node = cfuncc.compile(nodes_good.make_scaler(k), cache=False)
        inst = node.instance()
        inst.start()
        assert inst.execute(10.0) == 10.0 * k + 0.5 + 0.25
    # Errors point into the real file, at the real column.
    try:
        cfuncc.compile(nodes_good.make_broken())
    except cfuncc.CompileError as e:
        src = open(e.file).read().splitlines()
        assert src[e.line - 1][e.col - 1 :].startswith("x.nope"), (e.line, e.col, str(e))
        assert src[e.line - 1] in str(e)
    else:
        raise AssertionError("the broken node must not compile")


def test_named_outputs_are_dicts_and_replay_columns():
    import numpy as np

    node = cfuncc.compile(nodes_good.split, cache=False)
    assert node.named_outputs == {"even": "int", "half": "float"}
    inst = node.instance()
    inst.start()
    assert inst.execute(4) == {"even": 4, "half": 2.0}
    assert inst.execute(3) == {"half": 1.5}
    r = node.replay([np.array([4, 3, 6])])
    assert r.names == ["even", "half"]
    assert r.outputs[0].tolist() == [4, 0, 6] and r.ticked[0].tolist() == [True, False, True]
    assert r.outputs[1].tolist() == [2.0, 1.5, 3.0] and r.ticked[1].all()


def test_helpers_marked_or_not_are_inlined():
    inst = cfuncc.compile(nodes_good.doubled, cache=False).instance()
    inst.start()
    assert inst.execute(5) == 5 * 2 + 5 * 0.5 * 2


DATETIME_AS_INT = """
def later(t: Signal[datetime]) -> Signal[datetime]:
    last: State[datetime] = 0
    if last == 0:
        last = t
    return t + (t - last) + 1_000_000_000
"""


def test_datetime_as_int_is_the_seeds_convention():
    with pytest.raises(cfuncc.CompileError, match="--datetime-as-int"):
        cfuncc.compile(DATETIME_AS_INT, function="later", cache=False)
    node = cfuncc.compile(DATETIME_AS_INT, function="later", cache=False, datetime_as_int=True)
    inst = node.instance()
    inst.start()
    # The same arithmetic on Python ints, tick by tick.
    last = 0
    for t in (1_700_000_000_000_000_000, 1_700_000_000_500_000_000):
        last = last or t
        assert inst.execute(t) == t + (t - last) + 1_000_000_000
