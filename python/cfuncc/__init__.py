"""cfuncc: compile typed Python stream-processing nodes to native C-ABI functions.

    import cfuncc
    from cfuncc import Signal, State

    def ema(x: Signal[float], alpha: float) -> Signal[float]:
        s: State[float] = 0.0
        s = alpha * x + (1.0 - alpha) * s
        return s

    node = cfuncc.compile(ema, constants={"alpha": 0.5})
    node.address                      # the C function, for ctypes or a host
    inst = node.instance()
    inst.start(); inst.execute(10.0); inst.stop()
    node.replay([np.arange(1e6)]).outputs[0]   # a whole series, natively

The node function's whole module is compiled, so module-level constants,
``@extern`` stubs and enums are seen; the values of the globals the node
reads are taken from the running module at compile time.
"""

from __future__ import annotations

import ast as _ast
import ctypes as _ctypes
import datetime as _dt
import enum as _enum
import inspect as _inspect
import json as _json
import math as _math
import textwrap as _textwrap
from typing import Any, Iterable, Mapping, Sequence

from . import _markers, _native
from ._markers import (
    NumbaArray,
    NumbaDict,
    NumbaList,
    Outputs,
    Signal,
    State,
    create_new_array,
    create_new_dict,
    create_new_list,
    extern,
    helper,
    set_output,
)

__all__ = [
    "compile",
    "CompiledNode",
    "Instance",
    "Replay",
    "CompileError",
    "NodeFault",
    "Signal",
    "State",
    "NumbaList",
    "NumbaDict",
    "NumbaArray",
    "Outputs",
    "create_new_list",
    "create_new_dict",
    "create_new_array",
    "set_output",
    "extern",
    "helper",
    "__version__",
    "llvm_version",
]

__version__, llvm_version = _native.versions()

CompileError = _native.CompileError
"""A located error in the node's source: ``file``, ``line``, ``col``,
``message``, and ``diagnostics`` (every error of the compile, each a dict
with those keys and ``rendered``). ``str()`` is the rendered code frames."""

NodeFault = _native.NodeFault
"""A defined fault of a tick: ``code``, ``message``, ``line``, ``col`` (the
node's source position) and ``tick`` (in a replay)."""


# --- constants: Python values as the Python literals the compiler reads ---

_UTC = _dt.timezone.utc


def _literal(value: Any, where: str) -> str:
    """``value`` as the Python literal text of a ``--const`` value."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, _enum.Enum):
        # An enum is an int type in compiled code: a member is its value.
        return _literal(value.value, where)
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"{where}: {value} does not fit an int64")
        return repr(value)
    if isinstance(value, float):
        if not _math.isfinite(value):
            raise ValueError(
                f"{where}: {value} is not a finite float; constants are finite"
            )
        return repr(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"{where}: a naive datetime is ambiguous; give it a tzinfo "
                "(for example datetime.timezone.utc)"
            )
        u = value.astimezone(_UTC)
        return (
            f"datetime({u.year}, {u.month}, {u.day}, {u.hour}, {u.minute}, "
            f"{u.second}, {u.microsecond}, tzinfo=timezone.utc)"
        )
    if isinstance(value, _dt.timedelta):
        return (
            f"timedelta(days={value.days}, seconds={value.seconds}, "
            f"microseconds={value.microseconds})"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v, where) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(
                f"{_literal(k, where)}: {_literal(v, where)}" for k, v in value.items()
            )
            + "}"
        )
    raise TypeError(
        f"{where}: a {type(value).__name__} is not a supported constant; use an "
        "int, float, bool, tz-aware datetime, timedelta, enum member, or a list "
        "or dict of them"
    )


def _is_constant_value(value: Any) -> bool:
    try:
        _literal(value, "")
        return True
    except (TypeError, ValueError):
        return False


# --- types: enums and ctypes structures as the --types document ---

# A field's ctypes type -> its --types "type" (a storage name for the
# narrow ones: the node reads them widened, stores keep the low N bits or
# round to float32, as ctypes does).
_CTYPES_FIELDS = {
    _ctypes.c_double: "float",
    _ctypes.c_int64: "int",
    _ctypes.c_longlong: "int",
    _ctypes.c_bool: "bool",
    _ctypes.c_int8: "int8",
    _ctypes.c_int16: "int16",
    _ctypes.c_int32: "int32",
    _ctypes.c_uint8: "uint8",
    _ctypes.c_uint16: "uint16",
    _ctypes.c_uint32: "uint32",
    _ctypes.c_uint64: "uint64",
    _ctypes.c_ulonglong: "uint64",
    _ctypes.c_float: "float32",
}


def _struct_layout(cls: type) -> dict:
    fields = []
    for entry in cls._fields_:
        name, ctype = entry[0], entry[1]
        kind = _CTYPES_FIELDS.get(ctype)
        if kind is None or len(entry) > 2:
            raise TypeError(
                f"{cls.__name__}.{name}: {getattr(ctype, '__name__', ctype)} is not "
                "supported; struct fields are c_int8 ... c_int64, c_uint8 ... "
                "c_uint64, c_float, c_double or c_bool (no bit fields)"
            )
        fields.append(
            {"name": name, "type": kind, "offset": getattr(cls, name).offset}
        )
    return {"size": _ctypes.sizeof(cls), "fields": fields}


def _enum_members(cls: type) -> dict:
    members = {}
    for m in cls:
        if isinstance(m.value, bool) or not isinstance(m.value, int):
            raise TypeError(
                f"{cls.__name__}.{m.name}: enum values must be ints, not {m.value!r}"
            )
        members[m.name] = m.value
    return members


def _types_document(types: Any, enums: dict) -> str | None:
    doc: dict = {}
    if types is None:
        pass
    elif isinstance(types, Mapping):
        doc = _json.loads(_json.dumps(types))
    elif isinstance(types, str):
        doc = _json.loads(types)
    else:
        classes = [types] if isinstance(types, type) else list(types)
        for cls in classes:
            if isinstance(cls, type) and issubclass(cls, _ctypes.Structure):
                doc.setdefault("structs", {})[cls.__name__] = _struct_layout(cls)
            elif isinstance(cls, type) and issubclass(cls, _enum.Enum):
                enums[cls.__name__] = cls
            else:
                raise TypeError(
                    f"types: {cls!r} is neither a ctypes.Structure subclass nor an "
                    "enum.Enum; give a dict in the --types format instead"
                )
    for name, cls in enums.items():
        doc.setdefault("enums", {}).setdefault(name, _enum_members(cls))
    return _json.dumps(doc) if doc else None


# --- the node's source and the values it reads ---


def _node_def(tree: _ast.Module, function: str) -> _ast.FunctionDef | None:
    for stmt in tree.body:
        if isinstance(stmt, _ast.FunctionDef) and stmt.name == function:
            return stmt
    return None


def _read_names(fn: _ast.FunctionDef) -> set:
    return {
        n.id
        for n in _ast.walk(fn)
        if isinstance(n, _ast.Name) and isinstance(n.ctx, _ast.Load)
    }


class _Shift:
    """Where a nested node's lines sit in the real file: compiled dedented,
    its diagnostics are moved back (columns + indent, the real lines)."""

    def __init__(self, first: int, last: int, indent: int, lines: list):
        self.first, self.last, self.indent, self.lines = first, last, indent, lines

    def relocate(self, err: Exception) -> Exception:
        diags = []
        for d in getattr(err, "diagnostics", []):
            d = dict(d)
            if self.first <= d["line"] <= self.last:
                d["col"] += self.indent
                src = self.lines[d["line"] - 1]
                caret = "".join("\t" if c == "\t" else " " for c in src[: d["col"] - 1])
                d["rendered"] = (
                    f"{d['file']}:{d['line']}:{d['col']}: error: {d['message']}\n{src}\n{caret}^"
                )
            diags.append(d)
        if not diags:
            return err
        text = "\n".join(d["rendered"] for d in diags)
        if len(diags) > 1:
            text += f"\n{len(diags)} errors"
        new = CompileError(text)
        new.diagnostics = diags
        new.file, new.line, new.col, new.message = (
            diags[0]["file"], diags[0]["line"], diags[0]["col"], diags[0]["message"])
        return new


def _from_function(func: Any) -> tuple:
    """(source, filename, function, the values it may read, _Shift or None)."""
    if not _inspect.isfunction(func):
        raise TypeError(
            f"compile() takes a Python function or source text, not {type(func).__name__}"
        )
    module = _inspect.getmodule(func)
    filename = _inspect.getsourcefile(func) or "<unknown>"
    namespace = dict(func.__globals__)
    # A closure's free variables, from their cells.
    for name, cell in zip(func.__code__.co_freevars, func.__closure__ or ()):
        try:
            namespace[name] = cell.cell_contents
        except ValueError:  # an empty cell
            pass
    try:
        source = _inspect.getsource(module) if module is not None else None
    except (OSError, TypeError):
        source = None
    if source is not None and "<locals>" in func.__qualname__:
        return _nested(func, source, filename, namespace)
    if source is None:
        try:
            source = _textwrap.dedent(_inspect.getsource(func))
        except (OSError, TypeError) as e:
            raise ValueError(
                f"the source of {func.__name__} is not available ({e}); pass the source "
                "text and function= instead"
            ) from None
    return source, filename, func.__name__, namespace, None


def _nested(func: Any, source: str, filename: str, namespace: dict) -> tuple:
    """A node defined inside another function: its own lines, dedented, at
    their line numbers, with the module's imports after them."""
    tree = _ast.parse(source)
    first_line = func.__code__.co_firstlineno
    fn = next(
        (n for n in _ast.walk(tree)
         if isinstance(n, _ast.FunctionDef) and n.name == func.__name__
         and (n.decorator_list[0].lineno if n.decorator_list else n.lineno) == first_line),
        None,
    )
    if fn is None:
        raise ValueError(f"the source of {func.__qualname__} was not found in {filename}")
    lines = source.splitlines()
    start = fn.decorator_list[0].lineno if fn.decorator_list else fn.lineno
    indent = fn.col_offset
    body = []
    for line in lines[start - 1 : fn.end_lineno]:
        head = line[:indent]
        body.append(line[indent:] if head.strip() == "" else line.lstrip())
    imports = [
        _ast.get_source_segment(source, s)
        for s in tree.body
        if isinstance(s, (_ast.Import, _ast.ImportFrom))
    ]
    text = "\n" * (start - 1) + "\n".join(body) + "\n\n" + "\n".join(i for i in imports if i) + "\n"
    return text, filename, func.__name__, namespace, _Shift(start, fn.end_lineno, indent, lines)




def _module_values(source: str, function: str, namespace: Mapping) -> tuple:
    """The globals ``function`` reads whose values are constants, as
    ``NAME = literal`` lines, and the enum classes it uses."""
    try:
        tree = _ast.parse(source)
    except SyntaxError:
        return "", {}
    fn = _node_def(tree, function)
    if fn is None:
        return "", {}
    lines, enums = [], {}
    for name in sorted(_read_names(fn) - _markers.MARKER_NAMES):
        if name not in namespace:
            continue
        value = namespace[name]
        if isinstance(value, type) and issubclass(value, _enum.Enum):
            enums[name] = value
        elif isinstance(value, _enum.Enum):
            enums[type(value).__name__] = type(value)
        elif _is_constant_value(value) and not isinstance(value, _enum.Enum):
            lines.append(f"{name} = {_literal(value, name)}")
    return "\n".join(lines), enums


def compile(
    func_or_source: Any,
    *,
    function: str | None = None,
    constants: Mapping[str, Any] | None = None,
    fastmath: bool = False,
    force_inline: bool = False,
    opt_level: int = 2,
    link_bitcode: Iterable[str] = (),
    types: Any = None,
    cache: bool = True,
    filename: str | None = None,
    globals: Mapping[str, Any] | None = None,
    datetime_as_int: bool = False,
) -> "CompiledNode":
    """Compiles a node to native code loaded in this process.

    ``func_or_source`` is the node function (its whole module is compiled,
    errors point into the real file), or source text with ``function=``.
    ``constants`` gives the constant parameters as Python values. ``types``
    is a ``--types`` document (dict or JSON text), or ctypes.Structure and
    enum.Enum classes. ``globals`` adds values for module-level names the
    node reads (over the function's own globals). The compile cache is used
    unless ``cache=False``. ``datetime_as_int=True`` is the seed's
    convention: ``datetime`` and ``timedelta`` are int64 nanoseconds.
    Raises CompileError for errors in the source, ValueError or TypeError
    for bad arguments."""
    enums: dict = {}
    if isinstance(func_or_source, str):
        if function is None:
            raise ValueError("compile(source_text, ...) needs function='name'")
        source, fname, namespace = func_or_source, filename or "<string>", {}
        shift = None
    else:
        source, fname, fn_name, namespace, shift = _from_function(func_or_source)
        if function is not None and function != fn_name:
            raise ValueError(
                f"function={function!r} but the function given is {fn_name!r}"
            )
        function = fn_name
        fname = filename or fname
    if globals:
        namespace = {**namespace, **globals}
    extra, used_enums = _module_values(source, function, namespace)
    enums.update(used_enums)
    if extra:
        # The values of globals the node reads, appended after the module
        # so line numbers stay those of the real file; a later module-level
        # assignment wins, so they override what the text computes.
        source = source.rstrip("\n") + "\n\n" + extra + "\n"
    consts = []
    for name, value in (constants or {}).items():
        if isinstance(value, _enum.Enum):
            enums.setdefault(type(value).__name__, type(value))
        consts.append((name, _literal(value, f"constant '{name}'")))
    if not isinstance(opt_level, int) or isinstance(opt_level, bool):
        raise TypeError(f"opt_level must be an int 0-3, not {opt_level!r}")
    types_json = _types_document(types, enums)
    try:
        native = _native.compile(
            source,
            function,
            fname,
            consts,
            bool(fastmath),
            bool(force_inline),
            opt_level,
            [str(p) for p in link_bitcode],
            types_json,
            bool(cache),
            datetime_as_int=bool(datetime_as_int),
        )
    except CompileError as e:
        if shift is None:
            raise
        raise shift.relocate(e) from None
    return CompiledNode(native)


class CompiledNode:
    """A compiled node, loaded in this process."""

    def __init__(self, native: Any):
        self._native = native
        self.manifest: dict = _json.loads(native.manifest_json)
        m = self.manifest
        self.address: int = native.address
        self.native_name: str = m["native_name"]
        self.semantic_key: str = m["semantic_key"]
        self.output_types: list = m["output_types"]
        self.named_outputs: dict | None = m["named_outputs"]
        self.ordered_input_signals: list = m["ordered_input_signals"]
        self.state_values: list = m["state_values"]
        self.nrt_state_indices: list = m["nrt_state_indices"]
        self.struct_state_indices: list = m["struct_state_indices"]
        self.struct_state_sizes: list = m["struct_state_sizes"]
        self.metadata: dict = m.get("metadata", {})
        self.warnings: list = list(native.warnings)
        self.cached: bool = native.cached

    def ir(self, stage: str = "cfunc") -> str:
        """The node at ``stage``: 'cfunc', 'llvm-dialect', 'llvm-ir',
        'llvm-ir-unopt' or 'asm'."""
        return self._native.ir(stage)

    def save(self, path: str) -> None:
        """Writes the ``.so`` to ``path`` and its manifest beside it."""
        self._native.save(str(path))

    def instance(self) -> "Instance":
        """A new instance with its own state and fault record."""
        return Instance(self, self._native.instance())

    def replay(
        self,
        columns: Sequence[Any],
        ticked: Sequence[Any] | None = None,
        valid: Sequence[Any] | None = None,
        *,
        start: bool = True,
        stop: bool = True,
    ) -> "Replay":
        """Runs a whole series through a new instance in native code: START,
        one EXECUTE per row, STOP. See Instance.replay."""
        inst = self.instance()
        if start:
            inst.start()
        r = inst.replay(columns, ticked, valid)
        if stop:
            inst.stop()
        return r

    def __repr__(self) -> str:
        return f"<cfuncc.CompiledNode {self.native_name} at {self.address:#x}>"


class Replay:
    """What a replay produced: ``outputs`` (one numpy array per output, in
    order; 0 where it did not tick) and ``ticked`` (one bool array each)."""

    def __init__(self, outputs: list, ticked: list, names: list):
        self.outputs = outputs
        self.ticked = ticked
        self.names = names

    def __repr__(self) -> str:
        return f"<cfuncc.Replay {len(self.outputs)} outputs x {len(self.outputs[0]) if self.outputs else 0} ticks>"


def _np():
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is a dependency
        raise ImportError("replay needs numpy: pip install numpy") from None
    return numpy


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)


def _ns(td: _dt.timedelta) -> int:
    return (td.days * 86_400 + td.seconds) * 1_000_000_000 + td.microseconds * 1_000


def _cell(v: Any) -> Any:
    """A Python value as the int, float or bool the ABI carries."""
    if isinstance(v, _enum.Enum):
        return v.value
    if isinstance(v, _dt.datetime):
        if v.tzinfo is None:
            raise ValueError(f"{v!r} is naive; give datetime inputs a tzinfo")
        return _ns(v - _EPOCH)
    if isinstance(v, _dt.timedelta):
        return _ns(v)
    return v


_CELL_DTYPE = {"float": "<f8", "int": "<i8", "bool": "<i8"}


class Instance:
    """One instance of a node: ``start()``, ``execute(...)``, ``stop()``."""

    def __init__(self, node: CompiledNode, native: Any):
        self.node = node
        self._native = native
        self._inputs = [i["type"] for i in node.manifest["inputs"]]
        self._outputs = node.manifest["outputs"]
        self._named = bool(node.named_outputs)

    def start(self) -> None:
        self._native.start()

    def stop(self) -> None:
        self._native.stop()

    def execute(self, *values: Any, ticked: Sequence[bool] | None = None, valid: Sequence[bool] | None = None) -> Any:
        """One tick. Returns the output's value (None if it did not tick)
        for a one-output node, else ``{name: value}`` of the outputs that
        ticked. Raises NodeFault on a fault."""
        cells = [_cell(v) for v in values]
        out = self._native.execute(
            cells,
            None if ticked is None else [bool(t) for t in ticked],
            None if valid is None else [bool(v) for v in valid],
        )
        out = [self._typed(o, i) for i, o in enumerate(out)]
        if self._named or len(out) != 1:
            return {
                o["name"]: v for o, v in zip(self._outputs, out) if v is not None
            }
        return out[0]

    def _typed(self, value: Any, i: int) -> Any:
        if value is None:
            return None
        t = self._outputs[i]["type"]
        if t == "datetime":
            return _dt.datetime(1970, 1, 1, tzinfo=_UTC) + _dt.timedelta(microseconds=value // 1000)
        if t == "timedelta":
            return _dt.timedelta(microseconds=value // 1000)
        return value

    def replay(self, columns: Sequence[Any], ticked: Sequence[Any] | None = None, valid: Sequence[Any] | None = None) -> Replay:
        """Runs one EXECUTE per row in native code, with no Python per tick.
        ``columns``: one array (numpy or list) per input; ``ticked`` and
        ``valid``: None, or one bool array (or None) per input."""
        np = _np()
        k = len(self._inputs)
        if len(columns) != k:
            raise ValueError(f"the node takes {k} inputs, {len(columns)} columns given")
        arrays = []
        for i, (c, t) in enumerate(zip(columns, self._inputs)):
            dtype = _CELL_DTYPE.get(t, "<i8")
            a = np.ascontiguousarray(np.asarray(c), dtype=dtype)
            if a.ndim != 1:
                raise ValueError(f"column {i} must be one-dimensional")
            arrays.append(a)
        n = len(arrays[0]) if arrays else 0
        for i, a in enumerate(arrays):
            if len(a) != n:
                raise ValueError(f"column {i} has {len(a)} rows, column 0 has {n}")

        def masks(ms: Sequence[Any] | None, what: str) -> list:
            if ms is None:
                return [None] * k
            if len(ms) != k:
                raise ValueError(f"{what}: one mask per input ({k}), not {len(ms)}")
            out = []
            for i, m in enumerate(ms):
                if m is None:
                    out.append(None)
                    continue
                b = np.ascontiguousarray(np.asarray(m) != 0, dtype=np.uint8)
                if b.shape != (n,):
                    raise ValueError(f"{what} mask {i} has shape {b.shape}, not ({n},)")
                out.append(memoryview(b).cast("B"))
            return out

        def byte_view(a):
            return memoryview(a).cast("B")

        outputs = [np.zeros(n, dtype=_CELL_DTYPE.get(o["type"], "<i8")) for o in self._outputs]
        ticks = [np.zeros(n, dtype=np.uint8) for _ in self._outputs]
        self._native.replay(
            n,
            [byte_view(a) for a in arrays],
            masks(ticked, "ticked"),
            masks(valid, "valid"),
            [byte_view(a) for a in outputs],
            [byte_view(t) for t in ticks],
        )
        arrays_out = [
            a.astype(bool) if o["type"] == "bool" else a for a, o in zip(outputs, self._outputs)
        ]
        ticks = [t.view(bool) for t in ticks]
        return Replay(arrays_out, ticks, [o["name"] for o in self._outputs])
