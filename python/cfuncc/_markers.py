"""The names a node's module imports (the seed's spellings), so that the
module runs as ordinary Python. cfuncc reads them from the source; at run
time in CPython they only need to exist and to subscript."""

from __future__ import annotations

from typing import Any


class _Marker:
    """``Signal[float]``, ``State[NumbaDict[int, float]]``: subscripts give
    back an alias that remembers its arguments."""

    def __init__(self, name: str, args: tuple = ()):
        self._name = name
        self._args = args

    def __getitem__(self, args: Any) -> "_Marker":
        return _Marker(self._name, args if isinstance(args, tuple) else (args,))

    def __call__(self, *args: Any, **kwargs: Any) -> "_Marker":
        """``Outputs(a=int, b=float)``: named outputs."""
        return _Marker(self._name, args + tuple(kwargs.items()))

    def __repr__(self) -> str:
        if not self._args:
            return self._name
        names = ", ".join(getattr(a, "__name__", repr(a)) for a in self._args)
        return f"{self._name}[{names}]"


Signal = _Marker("Signal")
State = _Marker("State")
NumbaList = _Marker("NumbaList")
NumbaDict = _Marker("NumbaDict")
NumbaArray = _Marker("NumbaArray")
Outputs = _Marker("Outputs")


def create_new_list(element_type: type) -> list:
    """A new empty list (in compiled code: a typed list of ``element_type``)."""
    return []


def create_new_dict(key_type: type, value_type: type) -> dict:
    """A new empty dict (in compiled code: a typed dict)."""
    return {}


def create_new_array(element_type: type, length: int) -> list:
    """A new zero-filled array of ``length`` elements (in compiled code: a
    fixed-size array of ``element_type``, on the stack or, as
    ``State[NumbaArray]``, in the host's memory)."""
    return [element_type(0)] * length


def set_output(name: str, value: Any) -> None:
    """Ticks the named output (compiled code only)."""
    raise RuntimeError("set_output runs only in compiled nodes")


def extern(func: Any = None, **_options: Any) -> Any:
    """Marks a stub as an external C function (``@extern`` or
    ``@extern(name=..., header=...)``); compiled code calls the C symbol."""
    if func is None:
        return lambda f: f
    return func


def helper(func: Any) -> Any:
    """Marks a module-level function a node calls (``@cfuncc.helper``, the
    seed's ``@numba_method``); cfuncc inlines it at each call, with or
    without the mark."""
    return func


numba_method = helper
numba_node = helper


#: The names above that a node's source uses as markers, not as values.
MARKER_NAMES = frozenset(
    {"Signal", "State", "NumbaList", "NumbaDict", "NumbaArray", "Outputs",
     "create_new_list", "create_new_dict", "create_new_array", "set_output"}
)
