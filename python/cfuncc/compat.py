"""numba-cfunc-compiler's API on cfuncc: code written against the seed runs
unchanged wherever cfuncc supports the node.

    from cfuncc.compat import create_compiled_func, CompilationOptions, Signal, State

    result = create_compiled_func(ema, None, 0.5, extract_python_type_fn=type)
    fn = ctypes.CFUNCTYPE(None, *[ctypes.c_void_p] * 3, ctypes.c_int8,
                          *[ctypes.c_void_p] * 3)(result.compiled_func.address)

What differs from the seed, on purpose:
- input types come from the annotations (``Signal[float]``), so
  ``extract_python_type_fn`` is accepted and not needed;
- a custom input-source registry (the seed's ``ComponentRegistry`` /
  ``SourceRegistry`` extensions) is out of scope: ``source_registry=``
  raises; register source categories from Rust instead;
- ``start_body`` / ``stop_body`` (Python statements run at START / STOP)
  become the node's ``with start():`` / ``with stop():`` blocks, inserted
  after the function's last line, so the node's own lines keep their
  numbers (errors in those statements point past the function).
"""

from __future__ import annotations

import ast as _ast
import copy as _copy
import textwrap as _textwrap
import datetime as _dt
import inspect as _inspect
import typing as _typing
from dataclasses import dataclass
from typing import Any, Callable

from . import CompiledNode
from . import compile as _compile
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
    set_output,
)

__all__ = [
    "CompilationOptions",
    "CompilationResult",
    "create_compiled_func",
    "numba_node",
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
]


@dataclass(frozen=True)
class CompilationOptions:
    """The seed's options: fast-math, and alwaysinline on the node."""

    fastmath: bool = False
    force_inline: bool = False


def numba_node(f: Callable) -> Callable:
    """The seed's no-op decorator."""
    return f


class CompiledFunc:
    """The seed's ``compiled_func``: ``address`` is the C function."""

    def __init__(self, node: CompiledNode):
        self.address: int = node.address
        self.native_name: str = node.native_name

    def __repr__(self) -> str:
        return f"<compiled_func {self.native_name} at {self.address:#x}>"


_PY_TYPES = {
    "int": int,
    "float": float,
    "bool": bool,
    "datetime": _dt.datetime,
    "timedelta": _dt.timedelta,
}


class CompilationResult:
    """The seed's result: ``compiled_func``, ``output_types`` (Python types),
    ``named_outputs``, ``native_name``, ``semantic_key``, ``llvm_ir``,
    ``metadata``; the metadata's keys are attributes too
    (``state_values``, ``nrt_state_indices``, ...). ``node`` is the
    cfuncc CompiledNode behind it."""

    def __init__(self, node: CompiledNode, types: dict):
        self.node = node
        self.compiled_func = CompiledFunc(node)
        self.output_types = [_PY_TYPES.get(t, types.get(t, t)) for t in node.output_types]
        self.named_outputs = (
            None
            if node.named_outputs is None
            else {k: _PY_TYPES.get(v, types.get(v, v)) for k, v in node.named_outputs.items()}
        )
        self.native_name = node.native_name
        self.semantic_key = node.semantic_key
        self.metadata = {
            **node.metadata,
            "ordered_input_signals": node.ordered_input_signals,
            "state_values": node.state_values,
            "nrt_state_indices": node.nrt_state_indices,
            "struct_state_indices": node.struct_state_indices,
            "struct_state_sizes": node.struct_state_sizes,
        }
        self._llvm_ir: str | None = None

    @property
    def llvm_ir(self) -> str:
        """The optimised LLVM IR (compiled again on first use)."""
        if self._llvm_ir is None:
            self._llvm_ir = self.node.ir("llvm-ir")
        return self._llvm_ir

    def __getattr__(self, name: str) -> Any:
        metadata = self.__dict__.get("metadata")
        if metadata and name in metadata:
            return metadata[name]
        raise AttributeError(f"'{type(self).__name__}' has no attribute '{name}'")


def _is_input(annotation: Any) -> bool:
    """Whether a parameter's annotation marks an input edge (``Signal[T]``,
    ours, the seed's harness's, or written as a string)."""
    if annotation is _inspect.Parameter.empty:
        return False
    if isinstance(annotation, str):
        return annotation.replace(" ", "").startswith(("Signal[", "TS["))
    origin = _typing.get_origin(annotation) or annotation
    name = getattr(origin, "_name", None) or getattr(origin, "__name__", "")
    return name in ("Signal", "TS")


def _phase_block(kind: str, body: list) -> _ast.With:
    """``with start(): <body>`` (or stop) as an AST statement."""
    call = _ast.Call(func=_ast.Name(id=kind, ctx=_ast.Load()), args=[], keywords=[])
    return _ast.With(items=[_ast.withitem(context_expr=call)], body=body)


def _with_phases(func: Any, phases: list) -> tuple:
    """The source of ``func``'s module with the seed's start/stop bodies as
    ``with start():`` / ``with stop():`` blocks after the function's last
    line (the function's own lines keep their numbers), and its file."""
    module = _inspect.getmodule(func)
    filename = _inspect.getsourcefile(func) or "<unknown>"
    source = _inspect.getsource(module) if module is not None else _textwrap.dedent(
        _inspect.getsource(func)
    )
    tree = _ast.parse(source)
    fn = next(
        (s for s in tree.body if isinstance(s, _ast.FunctionDef) and s.name == func.__name__),
        None,
    )
    if fn is None:
        raise ValueError(f"{func.__name__} is not a module-level function of its module")
    indent = " " * fn.body[0].col_offset
    lines = source.splitlines()
    extra = []
    for kind, body in phases:
        block = _ast.unparse(_ast.fix_missing_locations(_ast.Module(body=[_phase_block(kind, body)], type_ignores=[])))
        extra += [indent + line for line in block.splitlines()]
    lines[fn.end_lineno:fn.end_lineno] = extra
    return "\n".join(lines) + "\n", filename


def create_compiled_func(
    func: Any,
    *args: Any,
    extract_python_type_fn: Callable[[Any], type] | None = None,
    decorator_name: str = "@numba_node",
    func_globals: dict | None = None,
    signature: _inspect.Signature | None = None,
    call_globals: dict | None = None,
    start_body: list | None = None,
    stop_body: list | None = None,
    options: CompilationOptions | None = None,
    source_registry: Any = None,
    **kwargs: Any,
) -> CompilationResult:
    """The seed's entry point. ``args``/``kwargs`` bind to the function's
    parameters: input edges (their values are not used) and constants (their
    values are compiled in). ``call_globals`` supplies module-level values
    (constants, enum classes) the node reads."""
    if source_registry is not None:
        raise NotImplementedError(
            "a custom input-source registry is out of scope for cfuncc.compat; "
            "register source categories from Rust (CompilationContext::register_source_category)"
        )
    opts = options or CompilationOptions()
    phases = [(k, list(b)) for k, b in (("start", start_body), ("stop", stop_body)) if b]
    filename = None
    if isinstance(func, _ast.FunctionDef):
        if signature is None:
            raise ValueError("signature is required when func is an ast.FunctionDef")
        fn = _copy.deepcopy(func)
        for kind, body in phases:
            fn.body.append(_phase_block(kind, body))
        tree = _ast.fix_missing_locations(_ast.Module(body=[fn], type_ignores=[]))
        source, name, namespace = _ast.unparse(tree) + "\n", func.name, dict(func_globals or {})
        target: Any = source
    else:
        name = func.__name__
        signature = signature or _inspect.signature(func)
        namespace = {}
        target = func
        if phases:
            target, filename = _with_phases(func, phases)
            namespace = dict(func.__globals__)
    try:
        bound = signature.bind_partial(*args, **kwargs)
    except TypeError as e:
        raise ValueError(
            f"Error in numba_node function '{name}': expects {signature.parameters} arguments, "
            f"got {args} positional and {kwargs} keyword arguments. {e}"
        ) from None
    constants = {}
    for pname, param in signature.parameters.items():
        if _is_input(param.annotation):
            continue
        if pname in bound.arguments:
            constants[pname] = bound.arguments[pname]
        elif param.default is _inspect.Parameter.empty:
            raise ValueError(
                f"Error in numba_node function '{name}': constant parameter '{pname}' has no value"
            )
    namespace.update(call_globals or {})
    node = _compile(
        target,
        function=name,
        constants=constants,
        fastmath=opts.fastmath,
        force_inline=opts.force_inline,
        globals=namespace,
        filename=filename,
    )
    types = {k: v for k, v in namespace.items() if isinstance(v, type)}
    return CompilationResult(node, types)
