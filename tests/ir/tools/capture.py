#!/usr/bin/env python3
"""Stands in for FileCheck while the IR tests are blessed (lit's `-D bless=DIR`,
see tests/ir/lit.cfg.py): saves its input, which is the output FileCheck would
have checked, for tests/ir_tests.rs to turn into check lines.

    capture.py DIR FILECHECK-ARGUMENTS... < OUTPUT

writes OUTPUT to DIR/NAME.PREFIX, NAME being the checked file's path with
`/` spelled `%` and PREFIX the --check-prefix (CHECK by default). The first
RUN line of a prefix wins, as FileCheck's checks of a prefix are generated
from one output.
"""

import os
import sys


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir, args = argv[0], argv[1:]
    prefix, checked = "CHECK", None
    i = 0
    while i < len(args):
        a = args[i].lstrip("-") if args[i].startswith("-") else None
        if a is None:
            checked = checked or args[i]
        elif a == "check-prefix" and i + 1 < len(args):
            prefix = args[i + 1]
            i += 1
        elif a.startswith("check-prefix="):
            prefix = a.split("=", 1)[1]
        elif a.startswith("check-prefixes"):
            print(f"capture.py: --check-prefixes cannot be blessed: {args[i]}", file=sys.stderr)
            return 2
        i += 1
    if checked is None:
        print("capture.py: no checked file among the arguments", file=sys.stderr)
        return 2
    data = sys.stdin.buffer.read()
    name = os.path.join(out_dir, checked.replace("/", "%") + "." + prefix)
    try:
        with open(name, "xb") as f:
            f.write(data)
    except FileExistsError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
