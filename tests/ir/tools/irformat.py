"""The lit test format of the IR tests (tests/ir/lit.cfg.py): lit's ShTest,
run by bash from the crate root with `%s` relative to it, and with the file's
`run:` lines checked first (tools/ticks.py) when it has any. A module of its
own, so lit's worker processes can unpickle it."""

import os
import shlex
import sys

import lit.formats
import lit.TestRunner

TOOLS = os.path.dirname(os.path.abspath(__file__))


def has_ticks(path):
    """Whether the file has `run:` lines (`#` comments in Python, `//` in MLIR)."""
    comment = "#" if path.endswith(".py") else "//"
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.lstrip()
            if line.startswith(comment) and line[len(comment):].lstrip().startswith("run:"):
                return True
    return False


class IRTest(lit.formats.ShTest):
    def __init__(self, crate_root, bless):
        super().__init__(execute_external=True)
        self.crate_root = crate_root
        self.bless = bless

    def execute(self, test, lit_config):
        path = test.getSourcePath()
        rel = os.path.relpath(path, self.crate_root)
        preamble = ["cd " + shlex.quote(self.crate_root)]
        if has_ticks(path):
            ticks = shlex.quote(os.path.join(TOOLS, "ticks.py"))
            bless = " --bless" if self.bless else ""
            preamble.append(f"{shlex.quote(sys.executable)} {ticks}{bless} {shlex.quote(rel)} %t")
        return lit.TestRunner.executeShTest(
            test, lit_config, self.execute_external, [("%s", rel)], preamble
        )
