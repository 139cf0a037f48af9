"""Errors from Python: located compile errors in the real file, clear
exceptions for bad arguments, and no crash on lifecycle misuse."""

import pytest

import cfuncc
import nodes_bad
import nodes_good


def test_a_bad_node_raises_compile_error_at_the_real_line():
    with pytest.raises(cfuncc.CompileError) as e:
        cfuncc.compile(nodes_bad.two_errors)
    err = e.value
    assert err.file.endswith("nodes_bad.py")
    src = open(err.file).read().splitlines()
    assert "x.nope" in src[err.line - 1]
    assert len(err.diagnostics) == 2
    assert "undefined_name" in src[err.diagnostics[1]["line"] - 1]
    assert "^" in str(err) and "nodes_bad.py:" in str(err)


def test_bad_arguments_raise_clear_exceptions():
    with pytest.raises(TypeError, match="not a supported constant"):
        cfuncc.compile(nodes_good.scaled, constants={"factor": object()})
    with pytest.raises(TypeError, match="a str is not a supported constant"):
        cfuncc.compile(nodes_good.scaled, constants={"factor": "text"})
    with pytest.raises(cfuncc.CompileError, match="factor"):
        cfuncc.compile(nodes_good.scaled, constants={"factor": 2.5})
    with pytest.raises(cfuncc.CompileError, match="factor"):
        cfuncc.compile(nodes_good.scaled)
    with pytest.raises(cfuncc.CompileError, match="no constant parameter named 'nope'"):
        cfuncc.compile(nodes_good.scaled, constants={"factor": 2, "nope": 1})
    with pytest.raises(ValueError, match="opt_level"):
        cfuncc.compile(nodes_good.scaled, constants={"factor": 2}, opt_level=7)
    with pytest.raises(TypeError, match="opt_level"):
        cfuncc.compile(nodes_good.scaled, constants={"factor": 2}, opt_level="fast")
    with pytest.raises(ValueError, match="function="):
        cfuncc.compile("def f(x: Signal[int]) -> Signal[int]:\n    return x\n")
    with pytest.raises(ValueError, match="naive"):
        import datetime

        cfuncc.compile(nodes_good.scaled, constants={"factor": datetime.datetime(2024, 1, 1)})
    with pytest.raises(ValueError, match="int64"):
        cfuncc.compile(nodes_good.scaled, constants={"factor": 2**70})


def test_execute_arguments_are_checked():
    inst = cfuncc.compile(nodes_good.scaled, constants={"factor": 2}).instance()
    inst.start()
    with pytest.raises(ValueError, match="takes 1 inputs"):
        inst.execute(1, 2)
    with pytest.raises(ValueError, match="expected an int"):
        inst.execute("x")
    with pytest.raises(ValueError, match="ticked"):
        inst.execute(1, ticked=[True, False])
    assert inst.execute(21) == 42


def test_lifecycle_misuse_does_not_crash():
    node = cfuncc.compile(nodes_good.count)
    inst = node.instance()
    with pytest.raises(cfuncc.NodeFault) as f:
        inst.execute(3)  # before START: container state not there
    assert f.value.code == 9
    inst.start()
    assert inst.execute(3) == 1
    inst.stop()
    inst.stop()  # twice
    with pytest.raises(cfuncc.NodeFault):
        inst.execute(3)  # after STOP
    inst.start()
    assert inst.execute(3) == 1
