"""Shared helpers of the Python package's tests."""

from __future__ import annotations

import ctypes
import json
import math
import os
import struct
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The tests' compile cache is their own, not the user's.
os.environ["CFUNCC_CACHE_DIR"] = tempfile.mkdtemp(prefix="cfuncc-pytest-cache-")
CONFORMANCE = ROOT.parent / "shared" / "conformance"
# Cases from the seed's current upstream tests, outputs from CPython.
UPSTREAM_CONFORMANCE = ROOT / "tests" / "conformance"


def conformance_cases() -> list:
    files = sorted(CONFORMANCE.glob("*.json"))
    assert files, f"no conformance cases under {CONFORMANCE}"
    files += sorted(UPSTREAM_CONFORMANCE.glob("*.json"))
    cases = []
    for f in files:
        cases.extend(json.loads(f.read_text()))
    return cases


def function_name(source: str, case: dict | None = None) -> str:
    """The node's name: the case's ``function`` (where helpers come first),
    else the source's first ``def``."""
    if case and case.get("function"):
        return case["function"]
    return source.split("def ", 1)[1].split("(", 1)[0].strip()


def same(a, b) -> bool:
    """Equality as the Rust suites define it: ints exactly, floats to 1e-12
    relative, containers elementwise."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) and math.isnan(b):
            return True
        return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def cfuncc_binary() -> Path:
    """The CLI built by cargo (make test builds it first)."""
    exe = Path(os.environ.get("CFUNCC_BIN", ROOT / "target" / "debug" / "cfuncc"))
    assert exe.exists(), f"{exe} is missing: run `cargo build` (make test does)"
    return exe


_CELL = {"float": "<d", "int": "<q", "bool": "<q", "datetime": "<q", "timedelta": "<q"}


def _to_cell(value, ty: str) -> int:
    if ty == "float":
        return struct.unpack("<Q", struct.pack("<d", float(value)))[0]
    if value is None:
        return 0
    return int(value) & 0xFFFF_FFFF_FFFF_FFFF


def _from_cell(cell: int, ty: str):
    if ty == "float":
        return struct.unpack("<d", struct.pack("<Q", cell))[0]
    if ty == "bool":
        return cell & 0xFF != 0
    return struct.unpack("<q", struct.pack("<Q", cell))[0]


NODE_FN = ctypes.CFUNCTYPE(
    None,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_int8,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
)


class CtypesHost:
    """A seed-style host written with ctypes: it calls a node's address
    through the 7-parameter ABI with cells it owns, zeroed container cells,
    each scalar state's initial value written before START, and a zeroed
    buffer of ``struct_state_sizes[k]`` bytes behind each slot of
    ``struct_state_indices`` (struct and array state)."""

    def __init__(self, node, address=None):
        m = node.manifest
        assert len(m["abi"]) == 7, m["abi"]
        self.fn = NODE_FN(node.address if address is None else address)
        self.out_types = [o["type"] for o in m["outputs"]]
        self.in_types = [i["type"] for i in m["inputs"]]
        self.fault_slot = m["fault_slot"]
        no, ni, ns = len(self.out_types), len(self.in_types), len(m["state_values"])
        self.out_cells = (ctypes.c_uint64 * max(no, 1))()
        self.outputs = (ctypes.c_void_p * max(no, 1))(
            *[ctypes.addressof(self.out_cells) + 8 * i for i in range(no)]
        )
        self.out_ticked = (ctypes.c_int8 * max(no, 1))()
        self.state_cells = (ctypes.c_uint64 * max(ns, 1))()
        for i, v in enumerate(m["state_values"]):
            self.state_cells[i] = _to_cell(v, "float" if isinstance(v, float) else "int")
        self.state = (ctypes.c_void_p * max(ns, 1))(
            *[ctypes.addressof(self.state_cells) + 8 * i for i in range(ns)]
        )
        self.buffers = []
        for i, size in zip(m["struct_state_indices"], m["struct_state_sizes"]):
            buf = (ctypes.c_uint64 * ((size + 7) // 8))()
            self.buffers.append(buf)
            self.state[i] = ctypes.addressof(buf)
        self.in_cells = (ctypes.c_uint64 * max(ni, 1))()
        self.inputs = (ctypes.c_void_p * max(ni, 1))(
            *[ctypes.addressof(self.in_cells) + 8 * i for i in range(ni)]
        )
        self.in_ticked = (ctypes.c_int8 * max(ni, 1))()
        self.in_valid = (ctypes.c_int8 * max(ni, 1))()

    def _call(self, phase: int) -> None:
        self.state_cells[self.fault_slot] = 0
        self.fn(self.outputs, self.out_ticked, self.state, phase, self.inputs, self.in_ticked, self.in_valid)
        fault = self.state_cells[self.fault_slot]
        if fault:
            raise RuntimeError(f"fault {fault & 0xFFFF} at line {fault >> 32}")

    def start(self) -> None:
        self._call(1)

    def stop(self) -> None:
        self._call(2)

    def execute(self, values, ticked=None, valid=None):
        for i, (v, t) in enumerate(zip(values, self.in_types)):
            self.in_cells[i] = _to_cell(v, t)
            self.in_ticked[i] = 1 if ticked is None else int(ticked[i])
            self.in_valid[i] = 1 if valid is None else int(valid[i])
        for i in range(len(self.out_types)):
            self.out_ticked[i] = 0
        self._call(0)
        return [
            _from_cell(self.out_cells[i], t) if self.out_ticked[i] else None
            for i, t in enumerate(self.out_types)
        ]


@pytest.fixture
def tmp(tmp_path):
    return tmp_path
