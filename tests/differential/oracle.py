#!/usr/bin/env python3
"""CPython oracle for cfuncc's differential tests.

    python3 oracle.py NODE.py [--function NAME] [--const NAME=VALUE]... [--types FILE] < TICKS.jsonl

Reads tick lines in the `cfuncc run` input format and prints, one line per
non-phase tick, exactly what `cfuncc run` must print. Without `--function`,
the arguments come from the node file's `# cfuncc: --function ...` header.

The node runs in real CPython. Before the module is exec'd, the named
function is rewritten with `ast`:

* `name: State[T] = literal` (anywhere in the body) is removed and every use
  of `name` becomes `_cf_state.name`: an attribute of an object that lives
  across ticks, converts what is stored to T (as a store to the compiled state
  cell does) and is reset to the literals at START.
* `ticked(x)` / `valid(x)` become `_cf_flag("ticked", "x")`, which reads this
  tick's flag of input x.
* An input that is not valid on a tick is passed as `NOT_VALID`, and every
  read of an input parameter goes through `_cf_input`, which raises for it
  (fault 14, as the compiled node). A parameter the body assigns to reads
  the assigned value from then on, as in Python.
* Every binary, unary and augmented operator goes through `_cf_bin` /
  `_cf_check`, and so does every call's result. They raise `OracleError`
  where CPython stops being a valid oracle for the int64/double code: an int
  outside int64, a shift by a negative amount or by 64 or more, an int raised
  to a negative power, int / int beyond 2**53, a complex or non-finite float.
* The signature's annotations are read (`Signal[T]` = input, a plain
  annotation = constant, `-> Signal[T]` or `-> Outputs(a=T, ...)`) and
  stripped, so the module needs no real `Signal`/`State` at def time.

The markers (`Signal`, `State`, `Outputs`, `set_output`, ...) are provided as
shims in the module's globals, and imports of modules that don't exist (e.g.
the engine's own package) are dropped.

Containers (lists and dicts):

* `xs: State[NumbaList] = create_new_list(int)` (or `State[NumbaList[int]]`,
  `State[NumbaDict]` = `create_new_dict(K, V)`) is container state: a new
  empty typed container at START, dropped at STOP. An EXECUTE of a node with
  container state before any START or after STOP prints fault 9, as the
  compiled node's state check does.
* `create_new_list(T)` / `create_new_dict(K, V)` make a `TypedList` /
  `TypedDict`: a list / dict that converts what is stored to its element
  (key, value) types, as the compiled containers do. Slices of a typed list
  are typed lists.
* A constant `w: NumbaList[T]` / `t: NumbaDict[K, V]` (from `--const` or
  the default literal) becomes a typed list / dict.
* `xs[i] op= v` / `d[k] op= v` read the item, then evaluate `v`, then store.

Fixed-size arrays (the seed's `NumbaArray`):

* `a: State[NumbaArray] = create_new_array(T, N)` is array state: a
  `TypedArray`, a list of N zeros of T that converts what is stored to T,
  zero-filled again at every START; unlike a list or dict it outlives STOP
  (the compiled node's array is the host's memory), so it never faults 9.
* `create_new_array(T, N)` in the body is a new zero-filled `TypedArray`;
  `a.clear()` zero-fills, as the compiled node does (a list's clear would
  empty it).
* A constant `w: NumbaArray[T, N]` (from `--const` or the default literal)
  is a `TypedArray` of exactly N elements.
* N is an int literal or a module-level constant.

Structs and enums (`--types FILE`, the compile's own file):

* A struct is a `ctypes.Structure` built from the layout (`_pack_ = 1`,
  padding between the fields), so every field is at its offset with its C
  type: `int8` ... `uint32` are `c_int8` ... `c_uint32`, `float32` is
  `c_float`, `float64` is `c_double`, `bool` is `c_bool`, an enum-typed
  field has the enum's width. Stores are ctypes' own: an int keeps its low
  N bits, a float rounds to float32. `uint64` is a `c_int64`: the same
  bytes, read back as cfuncc reads them (the int64 of those bits, wrapped).
* A struct input is a new struct each tick, its fields set from the tick
  line as the runner writes them; a struct output is printed as
  `{field: value}`. Struct state (`= Quote(...)`, `= Quote()` or `= None`)
  is a struct made at START; assigning a struct to it copies the fields
  into it (the compiled node copies into host memory), so a local bound to
  the state sees them; returning one copies it; a local names the same
  struct, as in Python.
* `q.field op= v` reads the field, then evaluates `v`, then stores.
* An enum is a namespace of its int members (`Side.BUY`, also a state's
  initial value), and as a type it is int.

A tick that raises, or produces a value the compiled code cannot represent,
prints `{"oracle_error": "..."}` instead of outputs: the caller should skip
that tick (and, for stateful nodes, the rest of the run). Exceptions that
the compiled node reports as a fault (see FAULTS) print
`{"error": {"code": N, "line": L}}` instead: the caller compares the code
and line with the compiled node's fault and goes on (mutations made before
the raise stay in both).
"""

import argparse
import ast
import copy
import ctypes
import os
import types as _types
import importlib.util
import json
import datetime as _dt
import math
import operator
import shlex
import sys
import traceback

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
SCALARS = {"int": int, "float": float, "bool": bool}
# datetime / timedelta: Python objects inside the node, int64 nanoseconds in
# tick lines (whole microseconds only: CPython has no finer resolution).
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
TEMPORAL = {"datetime": _dt.datetime, "timedelta": _dt.timedelta}
VALUE_TYPES = set(SCALARS) | set(TEMPORAL)
MARKERS = {
    "Signal", "State", "Outputs", "NumbaList", "NumbaDict", "NumbaArray", "set_output",
    "ticked", "valid", "create_new_list", "create_new_dict", "create_new_array", "extern",
}
# Module-level constants (`N = 8`) of the node's file, for array lengths.
MODULE_CONSTS = {}
# --types: struct name -> ctypes.Structure subclass; enum name -> (members, width).
STRUCTS = {}
ENUMS = {}
STORAGE_CTYPES = {
    "int8": ctypes.c_int8, "int16": ctypes.c_int16, "int32": ctypes.c_int32,
    "int64": ctypes.c_int64, "uint8": ctypes.c_uint8, "uint16": ctypes.c_uint16,
    "uint32": ctypes.c_uint32,
    # cfuncc reads a uint64 field as the int64 of its bits: c_int64's reading.
    "uint64": ctypes.c_int64,
    "float32": ctypes.c_float, "float64": ctypes.c_double, "bool": ctypes.c_bool,
}
DEFAULT_STORAGE = {"int": "int64", "float": "float64", "bool": "bool"}
BINOPS = {
    "Add": operator.add, "Sub": operator.sub, "Mult": operator.mul,
    "Div": operator.truediv, "FloorDiv": operator.floordiv, "Mod": operator.mod,
    "Pow": operator.pow, "LShift": operator.lshift, "RShift": operator.rshift,
    "BitOr": operator.or_, "BitXor": operator.xor, "BitAnd": operator.and_,
}


class OracleError(Exception):
    """CPython's answer cannot stand for the compiled node's on this tick."""


class NanKeyError(Exception):
    """Inserting a NaN dict key: Python matches NaN keys by identity, so the
    compiled dict faults instead (code 13); a lookup of NaN misses."""


class InputNotValidError(Exception):
    """An input's value read while it is not valid: the compiled node
    faults (code 14), since a host may pass NULL for it then."""


class _NotValid:
    """What an input parameter holds on a tick where it is not valid."""

    def __repr__(self):
        return "<not valid>"


NOT_VALID = _NotValid()


def read_input(v):
    if v is NOT_VALID:
        raise InputNotValidError("input read while it is not valid")
    return v


class UsageError(Exception):
    """The node or the tick file is outside what the oracle supports."""


def check(v):
    """Return v, or raise OracleError if the compiled code could not hold it."""
    if isinstance(v, int) and not isinstance(v, bool) and not INT64_MIN <= v <= INT64_MAX:
        raise OracleError(f"int64 overflow: {v}")
    if isinstance(v, float) and not math.isfinite(v):
        raise OracleError(f"non-finite float: {v}")
    if isinstance(v, complex):
        raise OracleError(f"complex result: {v}")
    return v


def binop(op, a, b):
    if op in ("LShift", "RShift") and not 0 <= b < 64:
        raise OracleError(f"shift by {b}")
    if op == "Pow" and all(isinstance(v, int) for v in (a, b)):
        if b < 0:
            raise OracleError("int ** negative int")
        if b >= 64 and abs(a) > 1:
            raise OracleError("int64 overflow in **")
    if op == "Div" and all(isinstance(v, int) for v in (a, b)) and max(abs(a), abs(b)) > 2**53:
        # CPython rounds the exact quotient once; int64 code converts each side first.
        raise OracleError("int / int with an operand beyond 2**53")
    return check(BINOPS[op](a, b))


def field_storage(struct, f):
    """The storage name of a --types struct field."""
    t = f["type"]
    if "storage" in f:
        return f["storage"]
    if t in STORAGE_CTYPES:
        return t
    if t in DEFAULT_STORAGE:
        return DEFAULT_STORAGE[t]
    if t in ENUMS:
        return ENUMS[t][1]
    raise UsageError(f"{struct}.{f['name']}: field type {t!r} is not supported by the oracle")


def make_struct(name, layout):
    """A packed ctypes.Structure with the layout's fields at their offsets."""
    size = layout["size"]
    fields = sorted(layout["fields"], key=lambda f: f["offset"])
    cfields, at = [], 0
    for f in fields:
        if f["offset"] > at:
            cfields.append((f"_cf_pad{at}", ctypes.c_uint8 * (f["offset"] - at)))
        ctype = STORAGE_CTYPES[field_storage(name, f)]
        cfields.append((f["name"], ctype))
        at = f["offset"] + ctypes.sizeof(ctype)
    if size > at:
        cfields.append((f"_cf_pad{at}", ctypes.c_uint8 * (size - at)))
    cls = type(name, (ctypes.Structure,), {"_pack_": 1, "_fields_": cfields})
    cls._cf_fields = [f["name"] for f in layout["fields"]]  # declaration order
    if ctypes.sizeof(cls) != size:
        raise UsageError(f"struct {name}: the oracle's layout has {ctypes.sizeof(cls)} bytes, not {size}")
    return cls


def load_types(path):
    """Reads a --types file's structs and enums into STRUCTS and ENUMS."""
    if not os.path.exists(path):
        # relative to the crate root, as tests/differential.rs compiles
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", path)
    with open(path) as f:
        doc = json.load(f)
    for key in doc:
        if key not in ("enums", "structs"):
            raise UsageError(f"--types: the oracle does not support the {key!r} section")
    for name, spec in doc.get("enums", {}).items():
        if isinstance(spec.get("members"), dict):
            members, width = spec["members"], spec.get("type", "int64")
        else:
            members, width = spec, "int64"
        ENUMS[name] = (_types.SimpleNamespace(**members), width)
    for name, layout in doc.get("structs", {}).items():
        STRUCTS[name] = make_struct(name, layout)


def new_struct(type_name, fields):
    """A struct of type_name with the given fields set, as ctypes stores them."""
    s = STRUCTS[type_name]()
    for k, v in fields.items():
        setattr(s, k, v)
    return s


def convert(value, type_name):
    """Convert value as a store into a cell of the declared scalar type does."""
    if type_name in STRUCTS:
        # Into struct state: the compiled node copies the fields.
        if type(value) is not STRUCTS[type_name]:
            raise OracleError(f"expected a {type_name}, got {value!r}")
        return STRUCTS[type_name].from_buffer_copy(value)
    if type_name in TEMPORAL:
        if type(value) is not TEMPORAL[type_name]:
            raise OracleError(f"expected a {type_name}, got {value!r}")
        return value
    if type_name not in SCALARS:
        return value
    return check(SCALARS[type_name](value))


def convert_elem(value, type_name):
    """convert() for a list element: a float list holds NaN and infinities
    (from math.nan / math.inf) as the compiled list does. An operator or call
    that yields one, or an output of one, is still an OracleError."""
    if type_name == "float" and isinstance(value, float) and not math.isfinite(value):
        return value
    return convert(value, type_name)


def from_input(value, type_name):
    """A tick line's input value as the node sees it."""
    if type_name in STRUCTS:
        return new_struct(type_name, value)
    if type_name in TEMPORAL:
        if value % 1000:
            raise UsageError(f"{type_name} input {value} ns is not whole microseconds")
        us = _dt.timedelta(microseconds=value // 1000)
        return EPOCH + us if type_name == "datetime" else us
    return convert(value, type_name)


def to_output(value, type_name):
    """An output value as `cfuncc run` prints it (temporal: int64 ns)."""
    if type_name in STRUCTS:
        if type(value) is not STRUCTS[type_name]:
            raise OracleError(f"expected a {type_name}, got {value!r}")
        return {f: check(getattr(value, f)) for f in STRUCTS[type_name]._cf_fields}
    value = convert(value, type_name)
    if type_name in TEMPORAL:
        delta = value - EPOCH if type_name == "datetime" else value
        return check(delta // _dt.timedelta(microseconds=1) * 1000)
    return value


# Exceptions the compiled node reports as faults: (type, message test, code).
FAULTS = [
    (IndexError, lambda m: "pop from empty list" in m, 6),
    (IndexError, lambda m: True, 5),
    (KeyError, lambda m: True, 7),
    (RuntimeError, lambda m: "changed size during iteration" in m
        or "keys changed during iteration" in m, 8),
    (ValueError, lambda m: m.startswith(("min()", "max()")) and "empty" in m, 11),
    (ValueError, lambda m: "slice step cannot be zero" in m, 12),
    (NanKeyError, lambda m: True, 13),
    (InputNotValidError, lambda m: True, 14),
]
NOT_STARTED = 9  # container state used before START or after STOP


def fault_code(e):
    """The compiled node's fault code for exception e, or None."""
    for cls, test, code in FAULTS:
        if type(e) is cls and test(str(e)):
            return code
    return None


TYPE_NAMES = {int: "int", float: "float", bool: "bool", _dt.datetime: "datetime", _dt.timedelta: "timedelta"}


def scalar_name(t):
    """'int' for int or 'int', else UsageError."""
    name = TYPE_NAMES.get(t, t)
    if name not in VALUE_TYPES:
        raise UsageError(f"container element type must be int, float or bool, not {t!r}")
    return name


class TypedList(list):
    """A list whose stores are converted to the element type."""

    def __init__(self, t, items=()):
        self.t = scalar_name(t)
        super().__init__(convert_elem(v, self.t) for v in items)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return TypedList(self.t, super().__getitem__(i))
        return super().__getitem__(i)

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            raise UsageError("slice assignment is not supported")
        super().__setitem__(i, convert_elem(v, self.t))

    def append(self, v):
        super().append(convert_elem(v, self.t))

    def insert(self, i, v):
        super().insert(i, convert_elem(v, self.t))

    def extend(self, other):
        super().extend([convert_elem(v, self.t) for v in other])

    def __iadd__(self, other):
        raise UsageError("xs += ... on a list is not supported")


class TypedArray(list):
    """A fixed-size array: N elements of one type, zero-filled when made;
    stores convert to the element type, and `clear()` zero-fills."""

    def __init__(self, t, n, items=None):
        self.t = scalar_name(t)
        if items is None:
            items = [SCALARS[self.t](0)] * n
        if len(items) != n:
            raise UsageError(f"a NumbaArray[{self.t}, {n}] constant needs {n} elements, not {len(items)}")
        super().__init__(convert_elem(v, self.t) for v in items)

    def __getitem__(self, i):
        if isinstance(i, slice):
            raise UsageError("arrays cannot be sliced")
        return super().__getitem__(i)

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            raise UsageError("slice assignment is not supported")
        super().__setitem__(i, convert_elem(v, self.t))

    def clear(self):
        for i in range(len(self)):
            super().__setitem__(i, SCALARS[self.t](0))

    def _fixed(self, *args):
        raise UsageError("an array has a fixed length")

    append = insert = extend = pop = remove = sort = __iadd__ = __delitem__ = _fixed


def array_length(node):
    """N of `create_new_array(T, N)` / `NumbaArray[T, N]`: an int literal or
    a module-level constant."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Name) and type(MODULE_CONSTS.get(node.id)) is int:
        return MODULE_CONSTS[node.id]
    raise UsageError(f"line {node.lineno}: array length must be an int literal or module constant")


NAN_KEY = object()  # never stored: what a NaN key looks up


class TypedDict(dict):
    """A dict whose keys and values are converted to the key / value types.

    Float keys: -0.0 and 0.0 are one key in Python too, but Python keeps the
    spelling inserted first while the compiled dict stores 0.0 (a deliberate
    difference, README "Containers"). Inserting a NaN key faults (code 13)
    and looking one up misses: Python finds a NaN key only through the very
    same object, which compiled values have not got."""

    def __init__(self, k, v, items=()):
        self.k, self.v = scalar_name(k), scalar_name(v)
        super().__init__((self.key(a), convert(b, self.v)) for a, b in dict(items).items())

    def key(self, k, insert=False):
        if self.k == "float" and isinstance(k, (int, float)) and not isinstance(k, bool):
            k = float(k)
            if math.isnan(k):
                if insert:
                    raise NanKeyError("NaN used as a dict key")
                return NAN_KEY  # a lookup of NaN misses
            return 0.0 if k == 0.0 else k  # inf is a fine key
        return convert(k, self.k)

    def __getitem__(self, k):
        return super().__getitem__(self.key(k))

    def __setitem__(self, k, v):
        super().__setitem__(self.key(k, insert=True), convert(v, self.v))

    def __delitem__(self, k):
        super().__delitem__(self.key(k))

    def __contains__(self, k):
        return super().__contains__(self.key(k))

    def get(self, k, *default):
        if not default:
            # The compiler accepts it in `return d.get(k)` and
            # `d.get(k) is [not] None`; elsewhere it is a compile error.
            return super().get(self.key(k))
        return super().get(self.key(k), convert(default[0], self.v))

    def pop(self, k, *default):
        return super().pop(self.key(k), *(convert(d, self.v) for d in default))


def container_type(ann):
    """('list', T) / ('dict', K, V) for `NumbaList[T]` / `NumbaDict[K, V]`
    (also `list[T]`, `dict[K, V]`), ('array', T, N) for `NumbaArray[T, N]`;
    None if ann is no typed container."""
    inner = marker_arg(ann, "NumbaArray")
    if inner is not None:
        if not (isinstance(inner, ast.Tuple) and len(inner.elts) == 2):
            raise UsageError(f"line {ann.lineno}: {ast.unparse(ann)}: NumbaArray[T, N]")
        return ("array", type_name(inner.elts[0], "NumbaArray element"), array_length(inner.elts[1]))
    for marker, kind in (("NumbaList", "list"), ("list", "list"), ("NumbaDict", "dict"), ("dict", "dict")):
        inner = marker_arg(ann, marker)
        if inner is None:
            continue
        args = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        names = [type_name(a, f"{marker} element") for a in args]
        if len(names) != (1 if kind == "list" else 2):
            raise UsageError(f"line {ann.lineno}: {ast.unparse(ann)}: wrong number of types")
        return (kind, *names)
    return None


def make_container(ctype, value=()):
    if ctype[0] == "array":
        if not isinstance(value, (list, tuple)):
            raise UsageError(f"a NumbaArray constant must be a list literal, not {value!r}")
        return TypedArray(ctype[1], ctype[2], list(value))
    if ctype[0] == "list":
        if not isinstance(value, (list, tuple)):
            raise UsageError(f"a NumbaList constant must be a list literal, not {value!r}")
        return TypedList(ctype[1], value)
    if not isinstance(value, dict):
        raise UsageError(f"a NumbaDict constant must be a dict literal, not {value!r}")
    return TypedDict(ctype[1], ctype[2], value)


def augment_item(op, container, key, rhs):
    """`container[key] op= rhs()`: read the item, then evaluate rhs, then store."""
    container[key] = binop(op, container[key], rhs())


def augment_attr(op, obj, name, rhs):
    """`obj.name op= rhs()`: read the field, then evaluate rhs, then store."""
    setattr(obj, name, binop(op, getattr(obj, name), rhs()))


class StateCells:
    """The node's scalar state; stores are converted to the declared type."""

    def __init__(self, decls):
        object.__setattr__(self, "_decls", decls)  # name -> (type, initial)
        self.reset()

    def reset(self):
        """START: scalars back to their literals, new empty containers,
        zero-filled arrays."""
        for name, (t, initial) in self._decls.items():
            if isinstance(t, tuple) and t[0] == "array":
                object.__setattr__(self, name, TypedArray(t[1], t[2]))
            elif isinstance(t, tuple):
                object.__setattr__(self, name, make_container(t, {} if t[0] == "dict" else []))
            else:
                setattr(self, name, initial)

    def drop_containers(self):
        """STOP: container state is gone (scalar and array state survive)."""
        for name, (t, _) in self._decls.items():
            if isinstance(t, tuple) and t[0] != "array":
                object.__setattr__(self, name, None)

    def __setattr__(self, name, value):
        t = self._decls[name][0]
        if isinstance(t, tuple):
            raise UsageError(f"container state '{name}' cannot be assigned")
        value = convert(value, t)
        if t in STRUCTS and name in self.__dict__:
            # Into the state's own memory, as the compiled node copies into
            # the host's buffer: every name bound to the state sees the new
            # fields (`value` is already a copy, so `s = s` is harmless).
            ctypes.memmove(ctypes.addressof(self.__dict__[name]), ctypes.addressof(value), ctypes.sizeof(value))
            return
        object.__setattr__(self, name, value)


class _Marker:
    """Stands for `Signal`, `State`, ... outside the rewritten function."""

    def __init__(self, name):
        self.name = name

    def __getitem__(self, item):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __repr__(self):
        return self.name


# ---------------------------------------------------------------- signature


# --datetime-as-int: the seed's convention, datetime and timedelta
# annotations are plain int64 nanoseconds.
DATETIME_AS_INT = False


def type_name(ann, what):
    if DATETIME_AS_INT and isinstance(ann, ast.Name) and ann.id in TEMPORAL:
        return "int"
    if isinstance(ann, ast.Name) and ann.id in VALUE_TYPES:
        return ann.id
    if isinstance(ann, ast.Name) and ann.id in STRUCTS:
        return ann.id
    if isinstance(ann, ast.Name) and ann.id in ENUMS:
        return "int"
    raise UsageError(f"line {ann.lineno}: {what}: unsupported type {ast.unparse(ann)}")


def marker_arg(ann, marker):
    """T for `marker[T]`, else None."""
    if isinstance(ann, ast.Subscript) and isinstance(ann.value, ast.Name) and ann.value.id == marker:
        return ann.slice
    return None


class Signature:
    """Inputs, constants and outputs read from the function's annotations."""

    def __init__(self, fn):
        self.inputs = []  # [(name, type)]
        self.constants = {}  # name -> type name (or None for non-scalars)
        args = fn.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
            raise UsageError(f"{fn.name}: only plain parameters are supported")
        for arg in args.args:
            if arg.annotation is None:
                raise UsageError(f"parameter {arg.arg} has no annotation")
            inner = marker_arg(arg.annotation, "Signal")
            if inner is not None:
                self.inputs.append((arg.arg, type_name(inner, arg.arg)))
            elif isinstance(arg.annotation, ast.Name) and arg.annotation.id in VALUE_TYPES:
                self.constants[arg.arg] = type_name(arg.annotation, arg.arg)
            else:
                # ('list', T) / ('dict', K, V), or None for anything else
                self.constants[arg.arg] = container_type(arg.annotation)
        ret = fn.returns
        if ret is None:
            raise UsageError(f"{fn.name} has no return annotation")
        inner = marker_arg(ret, "Signal")
        if inner is not None:
            self.named = False
            self.outputs = [("output_0", type_name(inner, "return"))]
        elif isinstance(ret, ast.Call) and isinstance(ret.func, ast.Name) and ret.func.id == "Outputs":
            self.named = True
            self.outputs = [(kw.arg, type_name(kw.value, kw.arg)) for kw in ret.keywords]
        else:
            raise UsageError(f"unsupported return annotation {ast.unparse(ret)}")
        self.output_types = dict(self.outputs)


# ---------------------------------------------------------------- rewriting


def call(name, *args):
    return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=list(args), keywords=[])


class NodeRewriter(ast.NodeTransformer):
    """Rewrites the node function's body as described in the module docstring."""

    def __init__(self, state_names, input_names):
        self.state_names = state_names
        self.input_names = input_names

    def visit_AnnAssign(self, node):
        if isinstance(node.target, ast.Name) and node.target.id in self.state_names \
                and marker_arg(node.annotation, "State") is not None:
            return ast.Pass()
        node.annotation = ast.Constant(None)  # local annotations are not evaluated anyway
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in self.state_names:
            return ast.Attribute(value=ast.Name(id="_cf_state", ctx=ast.Load()), attr=node.id, ctx=node.ctx)
        if node.id in self.input_names and isinstance(node.ctx, ast.Load):
            return ast.copy_location(call("_cf_input", node), node)
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        return call("_cf_bin", ast.Constant(type(node.op).__name__), node.left, node.right)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return call("_cf_check", node)

    def visit_AugAssign(self, node):
        if isinstance(node.target, ast.Attribute):
            # `q.field op= v`: read the field, then evaluate v, then store.
            rhs = ast.Lambda(
                args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
                body=self.visit(node.value))
            value = call("_cf_aug_attr", ast.Constant(type(node.op).__name__),
                         self.visit(node.target.value), ast.Constant(node.target.attr), rhs)
            return ast.copy_location(ast.Expr(value=value), node)
        if isinstance(node.target, ast.Subscript) and not isinstance(node.target.slice, ast.Slice):
            rhs = ast.Lambda(
                args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
                body=self.visit(node.value))
            value = call("_cf_aug", ast.Constant(type(node.op).__name__), self.visit(node.target.value),
                         self.visit(node.target.slice), rhs)
            return ast.copy_location(ast.Expr(value=value), node)
        if not isinstance(node.target, ast.Name):
            raise UsageError(f"line {node.lineno}: augmented assignment to a non-name")
        load = self.visit(ast.Name(id=node.target.id, ctx=ast.Load()))
        store = self.visit(ast.Name(id=node.target.id, ctx=ast.Store()))
        value = call("_cf_bin", ast.Constant(type(node.op).__name__), load, self.visit(node.value))
        return ast.copy_location(ast.Assign(targets=[store], value=value), node)

    def visit_match_case(self, node):
        # Patterns are not expressions: `case -1:` must stay a literal pattern.
        node.guard = node.guard and self.visit(node.guard)
        node.body = [self.visit(s) for s in node.body]
        return node

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in ("ticked", "valid"):
            arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
            if not (isinstance(arg, ast.Name) and arg.id in self.input_names):
                raise UsageError(f"line {node.lineno}: {node.func.id}() takes one input parameter")
            return call("_cf_flag", ast.Constant(node.func.id), ast.Constant(arg.id))
        f = node.func
        if (isinstance(f, ast.Attribute) and f.attr in ("ticked", "valid")
                and isinstance(f.value, ast.Name) and f.value.id in self.input_names
                and not node.args and not node.keywords):
            # The seed's spelling, `x.ticked()` / `x.valid()`.
            return call("_cf_flag", ast.Constant(f.attr), ast.Constant(f.value.id))
        self.generic_visit(node)
        return call("_cf_check", node)


def state_decls(fn):
    """name -> (type, initial) for every `name: State[T] = literal` (or
    enum member) in fn."""
    decls = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            inner = marker_arg(node.annotation, "State")
            if inner is None:
                continue
            ctype = state_container(node, inner)
            if ctype is not None:
                decls[node.target.id] = (ctype, node.lineno)
                continue
            t = type_name(inner, f"state {node.target.id}")
            if t in STRUCTS:
                decls[node.target.id] = (t, struct_initial(node, t))
                continue
            if t in TEMPORAL:
                # datetime(...) / timedelta(...): evaluated by CPython itself
                names = {"datetime": _dt.datetime, "timedelta": _dt.timedelta,
                         "timezone": _dt.timezone, "UTC": _dt.timezone.utc}
                code = compile(ast.Expression(body=node.value), "<state>", "eval")
                decls[node.target.id] = (t, convert(eval(code, names), t))
                continue
            v = node.value
            if (isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name)
                    and v.value.id in ENUMS and hasattr(ENUMS[v.value.id][0], v.attr)):
                # An enum member (`State[Side] = Side.BUY`): its int value.
                decls[node.target.id] = (t, getattr(ENUMS[v.value.id][0], v.attr))
                continue
            try:
                initial = ast.literal_eval(v)
            except (ValueError, TypeError, SyntaxError):
                raise UsageError(f"line {node.lineno}: state initial value must be a literal")
            decls[node.target.id] = (t, SCALARS[t](initial))
    return decls


def struct_initial(node, t):
    """The struct a `State[T] = T(...)` / `T()` / `None` declaration starts as."""
    v = node.value
    if isinstance(v, ast.Constant) and v.value is None:
        return new_struct(t, {})
    if not (isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == t):
        raise UsageError(f"line {node.lineno}: struct state must start as {t}(...) or None")
    try:
        fields = dict(zip(STRUCTS[t]._cf_fields, (ast.literal_eval(a) for a in v.args)))
        fields.update((kw.arg, ast.literal_eval(kw.value)) for kw in v.keywords)
    except (ValueError, TypeError, SyntaxError):
        raise UsageError(f"line {node.lineno}: struct state fields must be literals")
    return new_struct(t, fields)


def state_container(node, inner):
    """('list', T) / ('dict', K, V) for a container state declaration
    `name: State[NumbaList] = create_new_list(T)`, ('array', T, N) for
    `name: State[NumbaArray] = create_new_array(T, N)`, else None."""
    v = node.value
    if not (isinstance(v, ast.Call) and isinstance(v.func, ast.Name)
            and v.func.id in ("create_new_list", "create_new_dict", "create_new_array")):
        if container_type(inner) is not None or (isinstance(inner, ast.Name)
                                                 and inner.id in ("NumbaList", "NumbaDict", "NumbaArray")):
            raise UsageError(f"line {node.lineno}: container state must start as create_new_list/dict/array(...)")
        return None
    if v.func.id == "create_new_array":
        if len(v.args) != 2:
            raise UsageError(f"line {node.lineno}: create_new_array(T, N)")
        return ("array", type_name(v.args[0], "create_new_array argument"), array_length(v.args[1]))
    kind = "list" if v.func.id == "create_new_list" else "dict"
    names = [type_name(a, f"{v.func.id} argument") for a in v.args]
    if len(names) != (1 if kind == "list" else 2):
        raise UsageError(f"line {node.lineno}: {v.func.id}: wrong number of types")
    return (kind, *names)


def module_imports(stmt):
    """The import statement minus markers and unimportable modules, or None."""
    if isinstance(stmt, ast.ImportFrom):
        if stmt.module == "__future__":
            return stmt
        stmt.names = [a for a in stmt.names if a.name not in MARKERS]
        modules = [stmt.module] if stmt.level == 0 and stmt.module else []
    else:
        modules = [a.name for a in stmt.names]
    try:
        if stmt.names and all(importlib.util.find_spec(m) is not None for m in modules) and modules:
            return stmt
    except (ImportError, ValueError):
        pass
    return None


# ---------------------------------------------------------------- running


def phase_kind(stmt):
    """'start' / 'stop' for a top-level `with start():` / `with stop():`
    block of the node (or `with csp.start():`), else None."""
    if not (isinstance(stmt, ast.With) and len(stmt.items) == 1):
        return None
    item = stmt.items[0]
    c = item.context_expr
    if item.optional_vars is not None or not isinstance(c, ast.Call) or c.args or c.keywords:
        return None
    f = c.func
    if isinstance(f, ast.Name):
        name = f.id
    elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "csp":
        name = f.attr
    else:
        return None
    return name if name in ("start", "stop") else None


class Node:
    """One compiled-node stand-in: START / STOP / tick, like the ABI."""

    def __init__(self, source, filename, function, consts):
        tree = ast.parse(source, filename)
        body = []
        fn = None
        MODULE_CONSTS.clear()
        for stmt in tree.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)):
                try:
                    MODULE_CONSTS[stmt.targets[0].id] = ast.literal_eval(stmt.value)
                except (ValueError, TypeError, SyntaxError):
                    pass
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                stmt = module_imports(stmt)
                if stmt is None:
                    continue
            if isinstance(stmt, ast.FunctionDef) and stmt.name == function:
                fn = stmt
            body.append(stmt)
        if fn is None:
            raise UsageError(f"{filename}: no function {function}")
        tree.body = body
        self.filename = filename
        self.sig = Signature(fn)
        decls = state_decls(fn)
        input_names = {name for name, _ in self.sig.inputs}
        # `with start():` / `with stop():` blocks (csp's `with csp.start():`
        # too) run at START, after the state's initial values, and at STOP,
        # before the containers go: each becomes a function of its own.
        phases = {"start": [], "stop": []}
        kept = []
        for s in fn.body:
            kind = phase_kind(s)
            if kind is None:
                kept.append(s)
            else:
                phases[kind].extend(s.body)
        fn.body = [NodeRewriter(set(decls), input_names).visit(s) for s in kept]
        phases = {
            k: [NodeRewriter(set(decls), input_names).visit(s) for s in v] for k, v in phases.items()
        }
        defaults = []
        for d in fn.args.defaults:
            try:
                defaults.append(ast.literal_eval(d))
            except (ValueError, TypeError, SyntaxError):
                defaults.append(None)
        fn.decorator_list = []
        fn.returns = None
        for arg in fn.args.args:
            arg.annotation = None
        for kind, stmts in phases.items():
            tree.body.append(ast.FunctionDef(
                name=f"_cf_phase_{kind}", args=copy.deepcopy(fn.args), body=stmts or [ast.Pass()],
                decorator_list=[], returns=None, type_params=[], lineno=fn.lineno, col_offset=0,
                end_lineno=fn.end_lineno, end_col_offset=0))
        ast.fix_missing_locations(tree)

        self.state = StateCells(decls)
        self.flags = {}
        self.set_outputs = {}
        self.globals = {name: _Marker(name) for name in MARKERS}
        # The seed's decorators of nodes and helpers mark, they do not wrap,
        # and neither do cfuncc's (`import cfuncc` is dropped where the
        # package is not installed).
        self.globals.update(numba_node=lambda f: f, numba_method=lambda f: f)
        self.globals["cfuncc"] = _types.SimpleNamespace(helper=lambda f: f, extern=lambda f: f)
        self.globals.update(
            __name__="cfuncc_node", _cf_bin=binop, _cf_check=check, _cf_state=self.state,
            _cf_flag=lambda kind, name: self.flags[kind][name], set_output=self._set_output,
            _cf_input=read_input,
            extern=lambda f: f, _cf_aug=augment_item, _cf_aug_attr=augment_attr,
            create_new_list=lambda t: TypedList(t),
            create_new_dict=lambda k, v: TypedDict(k, v),
            create_new_array=lambda t, n: TypedArray(t, n),
        )
        self.globals.update((name, members) for name, (members, _) in ENUMS.items())
        # Fault 9 has no Python counterpart and so no line to compare: the
        # compiled node reports the declaration of the container state it
        # checks first (state slots are in name order, not source order).
        self.has_container_state = any(
            isinstance(t, tuple) and t[0] != "array" for t, _ in decls.values()
        )
        self.live = False  # between START and STOP
        exec(compile(tree, filename, "exec"), self.globals)
        self.fn = self.globals[function]

        self.consts = {}
        for name, value in consts.items():
            if name not in self.sig.constants:
                raise UsageError(f"--const {name}: {function} has no such constant parameter")
            t = self.sig.constants[name]
            self.consts[name] = make_container(t, value) if isinstance(t, tuple) else convert(value, t)
        params = fn.args.args
        for arg, default in zip(params[len(params) - len(fn.args.defaults):], defaults):
            t = self.sig.constants.get(arg.arg)
            if isinstance(t, tuple) and arg.arg not in self.consts:
                self.consts[arg.arg] = make_container(t, default)
        required = {a.arg for a in params[:len(params) - len(fn.args.defaults)]}
        missing = sorted(required & set(self.sig.constants) - set(self.consts))
        if missing:
            raise UsageError(f"{function}: no value for constant(s) {', '.join(missing)} (use --const)")

    def _set_output(self, name, value):
        if not self.sig.named or name not in self.sig.output_types:
            raise UsageError(f"set_output: no named output {name!r}")
        self.set_outputs[name] = value

    def _phase(self, kind):
        """The node's `with start():` / `with stop():` statements (no inputs)."""
        no_inputs = {name: NOT_VALID for name, _ in self.sig.inputs}
        self.globals[f"_cf_phase_{kind}"](**no_inputs, **self.consts)

    def start(self):
        self.state.reset()
        self.live = True
        self._phase("start")

    def stop(self):
        # The block runs on every STOP of a node without container state;
        # with container state, only while they exist (after START).
        if self.live or not self.has_container_state:
            self._phase("stop")
        self.state.drop_containers()  # scalar state survives STOP; START resets it
        self.live = False

    def tick(self, line):
        """Run one EXECUTE; return the dict `cfuncc run` prints for it."""
        values = line["inputs"]
        if len(values) != len(self.sig.inputs):
            raise UsageError(f"tick has {len(values)} inputs, node has {len(self.sig.inputs)}")
        n = len(values)
        self.flags = {
            kind: dict(zip((name for name, _ in self.sig.inputs), map(bool, line.get(kind, [True] * n))))
            for kind in ("ticked", "valid")
        }
        self.set_outputs = {}
        if self.has_container_state and not self.live:
            return {"error": {"code": NOT_STARTED}}
        try:
            args = {
                name: from_input(v, t) if self.flags["valid"][name] else NOT_VALID
                for (name, t), v in zip(self.sig.inputs, values)
            }
            result = self.fn(**args, **self.consts)
            return {"outputs": self._outputs(result)}
        except UsageError:
            raise
        except Exception as e:
            where = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == self.filename]
            code = None if isinstance(e, OracleError) else fault_code(e)
            if code is not None and where:
                # a fault the compiled node reports too: compare it
                return {"error": {"code": code, "line": where[-1].lineno}}
            # the node raised: CPython has no answer to compare with
            at = f"line {where[-1].lineno}: " if where else ""
            return {"oracle_error": f"{at}{type(e).__name__}: {e}"}

    def _outputs(self, result):
        if not self.sig.named:
            t = self.sig.outputs[0][1]
            return [None if result is None else to_output(result, t)]
        produced = dict(self.set_outputs)
        if result is not None:
            if not isinstance(result, tuple) or len(result) != len(self.sig.outputs):
                raise OracleError(f"named outputs need a {len(self.sig.outputs)}-tuple, got {result!r}")
            for (name, _), v in zip(self.sig.outputs, result):
                if v is not None:
                    produced[name] = v
        return {
            name: None if produced.get(name) is None else to_output(produced[name], t)
            for name, t in self.sig.outputs
        }


def run_lines(node, lines):
    """Drive node through tick lines; return the printed lines (no newline)."""
    out = []
    first = True
    for raw in lines:
        raw = raw.strip()
        if not raw:
            continue
        line = json.loads(raw)
        if "phase" in line:
            {"start": node.start, "stop": node.stop}[line["phase"]]()
        else:
            if first:
                node.start()
            out.append(json.dumps(node.tick(line)))
        first = False
    return out


def header_args(path):
    """The arguments in the node file's `# cfuncc: ...` first line."""
    with open(path) as f:
        first = f.readline()
    if not first.startswith("# cfuncc:"):
        return []
    return shlex.split(first[len("# cfuncc:"):])


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("node")
    p.add_argument("--function")
    p.add_argument("--const", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--types", metavar="FILE")
    p.add_argument("--datetime-as-int", action="store_true")
    args = p.parse_args(argv)
    if args.function is None:
        header = p.parse_args([args.node] + header_args(args.node))
        args.function, args.const = header.function, header.const + args.const
        args.types = args.types or header.types
        args.datetime_as_int = args.datetime_as_int or header.datetime_as_int
    if args.function is None:
        p.error("--function is required (no `# cfuncc:` header)")
    return args


def const_literal(text):
    """A --const value: a Python literal, or a datetime(...)/timedelta(...)
    call, which CPython evaluates."""
    try:
        return ast.literal_eval(text)
    except ValueError:
        names = {"datetime": _dt.datetime, "timedelta": _dt.timedelta,
                 "timezone": _dt.timezone, "UTC": _dt.timezone.utc}
        return eval(compile(ast.parse(text, mode="eval"), "<const>", "eval"), {"__builtins__": {}}, names)


def load(path, function, const_args):
    consts = {}
    for c in const_args:
        name, sep, value = c.partition("=")
        if not sep:
            raise UsageError(f"--const {c}: expected NAME=VALUE")
        consts[name.strip()] = const_literal(value.strip())
    with open(path) as f:
        source = f.read()
    return Node(source, path, function, consts)


def main(argv):
    global DATETIME_AS_INT
    args = parse_args(argv)
    DATETIME_AS_INT = args.datetime_as_int
    try:
        if args.types:
            load_types(args.types)
        node = load(args.node, args.function, args.const)
        for out in run_lines(node, sys.stdin):
            print(out, flush=False)
    except (UsageError, SyntaxError) as e:
        print(f"oracle: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
