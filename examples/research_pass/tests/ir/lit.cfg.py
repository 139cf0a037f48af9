# lit configuration of research_pass's IR tests (LLVM 22's lit, ShTest).
# `cargo test -p research_pass --test ir` runs lit here with the cargo-built
# research-opt; by hand, from examples/research_pass:
#
#   RESEARCH_OPT_BIN=../../target/debug/research-opt \
#     /usr/lib/llvm-22/bin/lit -sv tests/ir

import os
import re
import shlex

import lit.formats

config.name = "research-pass-ir"
config.suffixes = [".py"]
config.excludes = ["lit.cfg.py"]
config.test_format = lit.formats.ShTest(execute_external=False)
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
config.test_exec_root = os.environ.get("RESEARCH_LIT_OUT") or os.path.join(
    config.test_source_root, "..", "..", "..", "..", "target", "lit-research-pass"
)
llvm_bin = lit_config.params.get("llvm_bin", "/usr/lib/llvm-22/bin")

def binary(var):
    path = os.environ.get(var)
    if not path or not os.access(path, os.X_OK):
        lit_config.fatal(f"{var} is not an executable: run `cargo test -p research_pass --test ir`")
    return os.path.abspath(path)


opt = binary("RESEARCH_OPT_BIN")
for tool in ("FileCheck", "not"):
    if not os.access(os.path.join(llvm_bin, tool), os.X_OK):
        lit_config.fatal(f"{llvm_bin}/{tool} is missing: install llvm-22-tools (scripts/install-deps)")


def word(name):
    """`name` as a command word, not inside a path, an option or a pass name."""
    return r"(?<![\w./=-])" + re.escape(name) + r"(?![\w./-])"


config.substitutions += [
    (word("research-opt"), shlex.quote(opt)),
    (word("FileCheck"), shlex.quote(os.path.join(llvm_bin, "FileCheck"))),
    (word("not"), shlex.quote(os.path.join(llvm_bin, "not"))),
]
for var, value in os.environ.items():
    if var.startswith("CFUNCC_"):
        config.environment[var] = value
