# lit configuration of the IR tests: every .py and .mlir file under tests/ir
# is one test (LLVM 22's lit, ShTest format, run by bash).
#
# `cargo test --test ir_tests` runs lit on this folder with the cargo-built
# binaries; by hand, from the crate root:
#
#   CFUNCC_BIN=target/debug/cfuncc CFUNC_OPT_BIN=target/debug/cfunc-opt \
#     /usr/lib/llvm-22/bin/lit -sv tests/ir
#
# * `RUN:` lines run from the crate root, with `%s` the test file relative to
#   it (diagnostics and locations in the checked output name
#   `tests/ir/...`), `%t` a scratch path under the output folder
#   ($CFUNCC_LIT_OUT, else target/lit-ir). `cfuncc` and `cfunc-opt` are the
#   binaries in $CFUNCC_BIN and $CFUNC_OPT_BIN; `FileCheck` and `not` are
#   LLVM 22's.
# * `run: INPUTS -> OUTPUTS` lines (tick tests against the compiled node and
#   CPython) are checked by tools/ticks.py, which lit runs before the RUN
#   lines of every file that has them.
# * `-D bless=DIR` (tests/ir_tests.rs with CFUNCC_BLESS=1) replaces FileCheck
#   by tools/capture.py, which saves each checked output into DIR, and
#   rewrites the `run:` outputs from CPython's.

import os
import re
import shlex
import sys

config.name = "cfuncc-ir"
config.suffixes = [".py", ".mlir"]
config.excludes = ["lit.cfg.py", "tools"]
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
crate_root = os.path.dirname(os.path.dirname(config.test_source_root))
config.test_exec_root = os.environ.get("CFUNCC_LIT_OUT") or os.path.join(
    crate_root, "target", "lit-ir"
)
tools_dir = os.path.join(config.test_source_root, "tools")
llvm_bin = lit_config.params.get("llvm_bin", "/usr/lib/llvm-22/bin")
bless_dir = lit_config.params.get("bless")


def binary(var):
    path = os.environ.get(var)
    if not path:
        lit_config.fatal(
            f"{var} is not set: run `cargo test --test ir_tests`, or set it to the cargo-built binary"
        )
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        lit_config.fatal(f"{var}={path} is not an executable")
    return path


cfuncc = binary("CFUNCC_BIN")
cfunc_opt = binary("CFUNC_OPT_BIN")
for tool in ("FileCheck", "not"):
    if not os.access(os.path.join(llvm_bin, tool), os.X_OK):
        lit_config.fatal(f"{llvm_bin}/{tool} is missing: install llvm-22-tools (scripts/install-deps)")

python = shlex.quote(sys.executable)
filecheck = os.path.join(llvm_bin, "FileCheck")
if bless_dir:
    filecheck = f"{python} {shlex.quote(os.path.join(tools_dir, 'capture.py'))} {shlex.quote(bless_dir)}"


def word(name):
    """`name` as a command word, not inside a path, an option or a pass name."""
    return r"(?<![\w./=-])" + re.escape(name) + r"(?![\w./-])"


config.substitutions += [
    (word("cfunc-opt"), shlex.quote(cfunc_opt)),
    (word("cfuncc"), shlex.quote(cfuncc)),
    (word("FileCheck"), filecheck),
    (word("not"), shlex.quote(os.path.join(llvm_bin, "not"))),
]

# The tests run with lit's clean environment, plus cfuncc's own variables
# (cargo sets CFUNCC_CACHE=off, .cargo/config.toml) and the path of cfuncc
# (for tools/ticks.py).
for var, value in os.environ.items():
    if var.startswith("CFUNCC_") and var != "CFUNCC_BLESS":
        config.environment[var] = value
config.environment["CFUNCC_BIN"] = cfuncc


sys.path.insert(0, tools_dir)
import irformat  # noqa: E402

config.test_format = irformat.IRTest(crate_root, bool(bless_dir))
