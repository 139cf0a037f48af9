"""Stubs of the compiled extension module (python/src/lib.rs)."""

from typing import Sequence

class CompileError(Exception):
    file: str
    line: int
    col: int
    message: str
    diagnostics: list[dict]

class NodeFault(Exception):
    code: int
    message: str
    line: int
    col: int
    tick: int | None

class Native:
    manifest_json: str
    address: int
    cached: bool
    warnings: list[str]
    def ir(self, stage: str) -> str: ...
    def save(self, path: str) -> None: ...
    def instance(self) -> Instance: ...

class Instance:
    input_types: list[str]
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def execute(
        self,
        values: Sequence[object],
        ticked: Sequence[bool] | None = None,
        valid: Sequence[bool] | None = None,
    ) -> list[object | None]: ...
    def replay(
        self,
        n: int,
        columns: Sequence[memoryview],
        ticked: Sequence[memoryview | None],
        valid: Sequence[memoryview | None],
        outputs: Sequence[memoryview],
        out_ticked: Sequence[memoryview],
    ) -> None: ...

def compile(
    source: str,
    function: str,
    filename: str,
    constants: Sequence[tuple[str, str]],
    fastmath: bool,
    force_inline: bool,
    opt_level: int,
    link_bitcode: Sequence[str],
    types: str | None,
    cache: bool,
    cache_dir: str | None = None,
    datetime_as_int: bool = False,
) -> Native: ...
def versions() -> tuple[str, str]: ...
