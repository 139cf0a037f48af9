"""cfuncc.compat: the seed's create_compiled_func and result fields."""

import ast
import ctypes
import enum
import inspect

import pytest

from cfuncc import compat
from conftest import CtypesHost
import nodes_good


def test_the_seed_result_fields():
    r = compat.create_compiled_func(nodes_good.count, None, extract_python_type_fn=type)
    assert r.output_types == [int]
    assert r.named_outputs is None
    assert r.state_values == r.metadata["state_values"] == r.node.state_values
    assert r.nrt_state_indices == [0]
    assert r.compiled_func.address == r.node.address
    assert len(r.semantic_key) == 16 and r.native_name
    assert "define" in r.llvm_ir
    with pytest.raises(AttributeError):
        r.no_such_field


def test_constants_bind_by_position_or_keyword():
    a = compat.create_compiled_func(nodes_good.scaled, None, 3)
    b = compat.create_compiled_func(nodes_good.scaled, None, factor=3)
    for r in (a, b):
        h = CtypesHost(r.node, r.compiled_func.address)
        h.start()
        assert h.execute([7]) == [21]
    with pytest.raises(ValueError, match="factor"):
        compat.create_compiled_func(nodes_good.scaled, None)
    with pytest.raises(ValueError, match="expects"):
        compat.create_compiled_func(nodes_good.scaled, None, 1, 2, 3)


class Level(enum.Enum):
    LOW = 1
    HIGH = 9


def test_an_ast_function_with_call_globals():
    src = "def lvl(x: Signal[int]) -> Signal[int]:\n    return x * Level.HIGH\n"
    fn = ast.parse(src).body[0]
    sig = inspect.Signature(
        [inspect.Parameter("x", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="Signal[int]")]
    )
    r = compat.create_compiled_func(
        fn, None, signature=sig, func_globals={}, call_globals={"Level": Level}
    )
    h = CtypesHost(r.node, r.compiled_func.address)
    h.start()
    assert h.execute([2]) == [18]
    with pytest.raises(ValueError, match="signature"):
        compat.create_compiled_func(fn, None)


def test_what_is_out_of_scope_says_so():
    with pytest.raises(NotImplementedError, match="registry"):
        compat.create_compiled_func(nodes_good.count, None, source_registry=object())


def test_start_and_stop_bodies_run_at_start_and_stop():
    # The seed's start_body/stop_body: statements on the node's state.
    start = ast.parse("total = 1000\nfor i in range(3):\n    seen[i] = 5").body
    stop = ast.parse("total = -7").body
    r = compat.create_compiled_func(nodes_good.tally, None, start_body=start, stop_body=stop)
    h = CtypesHost(r.node, r.compiled_func.address)
    h.start()
    assert h.execute([1]) == [1000 + 1 + 5 + 3]
    assert h.execute([7]) == [1009 + 7 + 1 + 3]
    h.stop()
    inst = r.node.instance()
    inst.start()
    assert inst.execute(2) == 1000 + 2 + 5 + 3
    # The node's own lines keep their numbers in errors.
    bad = ast.parse("total = undefined_thing").body
    with pytest.raises(Exception) as e:
        compat.create_compiled_func(nodes_good.tally, None, start_body=bad)
    assert "undefined_thing" in str(e.value) and e.value.file.endswith("nodes_good.py")


def test_the_address_is_a_ctypes_function():
    r = compat.create_compiled_func(nodes_good.scaled, None, 2)
    f = ctypes.CFUNCTYPE(None, *[ctypes.c_void_p] * 3, ctypes.c_int8, *[ctypes.c_void_p] * 3)(
        r.compiled_func.address
    )
    assert f is not None
