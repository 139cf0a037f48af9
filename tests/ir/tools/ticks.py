#!/usr/bin/env python3
"""Checks the `run:` lines of an IR test (lit runs it for every file that has
them; see tests/ir/lit.cfg.py).

    ticks.py [--bless] FILE SCRATCH

A `run: INPUTS -> OUTPUTS` line (`#` comments in Python, `//` in MLIR) is one
tick: INPUTS is the inputs array or a whole `cfuncc run` tick object, OUTPUTS
what the tick must give: the outputs (null = not ticked) or
`{"error": {"code": C, "line": L}}`. A phase line (`{"phase": "stop"}`) has no
arrow. The node is compiled with the arguments of the file's `# cfuncc:` first
line into SCRATCH.so, driven through `cfuncc run` ($CFUNCC_BIN), and run in
CPython (tests/differential/oracle.py); both must give OUTPUTS. Floats agree
to a relative 1e-12 (CPython and libm may differ in the last bit of a
transcendental function).

With --bless the OUTPUTS are first rewritten from CPython's results (an arrow
with nothing after it is filled in), then checked.
"""

import json
import math
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "..", "..", "differential", "oracle.py")


class Failure(Exception):
    pass


def directive(line, comment, keyword):
    """The text after `<comment> KEYWORD:` on a line, if the line is one."""
    rest = line.lstrip()
    if not rest.startswith(comment):
        return None
    rest = rest[len(comment):].lstrip()
    if not rest.startswith(keyword + ":"):
        return None
    return rest[len(keyword) + 1:].strip()


def parse(lines, comment):
    """[(line index, tick object, whether it expects a result, the result)]."""
    out = []
    for i, line in enumerate(lines):
        body = directive(line, comment, "run")
        if body is None:
            continue
        inputs, arrow, expected = body.partition("->")
        inputs = inputs.strip()
        try:
            value = json.loads(inputs)
        except ValueError as e:
            raise Failure(f"line {i + 1}: bad inputs {inputs!r}: {e}")
        if isinstance(value, list):
            tick = {"inputs": value}
        elif isinstance(value, dict):
            tick = value
        else:
            raise Failure(f"line {i + 1}: inputs must be an array or a tick object")
        expected = expected.strip()
        if not arrow:
            if "phase" not in tick:
                raise Failure(f"line {i + 1}: a tick needs `-> OUTPUTS`")
            out.append((i, tick, False, None))
        elif not expected:
            # An arrow with nothing after it is filled in by --bless.
            out.append((i, tick, True, None))
        else:
            try:
                out.append((i, tick, True, json.loads(expected)))
            except ValueError as e:
                raise Failure(f"line {i + 1}: bad outputs {expected!r}: {e}")
    return out


def result_form(v):
    """What a tick's result line says, in the `run:` form: the outputs, or the
    error's code and line."""
    if isinstance(v, dict) and "error" in v:
        e = v["error"]
        return {"error": {"code": e.get("code"), "line": e.get("line")}}
    if isinstance(v, dict) and "outputs" in v:
        return v["outputs"]
    return v


def same(a, b):
    """JSON values equal, floats to a relative 1e-12, NaN equal to NaN."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        x, y = float(a), float(b)
        if math.isnan(x) and math.isnan(y):
            return True
        return x == y or abs(x - y) <= 1e-12 * max(abs(x), abs(y))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    return type(a) is type(b) and a == b


def matches(expected, got):
    """Whether a tick's result line matches a `run:` line's expectation."""
    e = expected.get("error") if isinstance(expected, dict) else None
    g = got.get("error") if isinstance(got, dict) else None
    if e is not None and g is not None:
        return e.get("code") == g.get("code") and e.get("line") == g.get("line")
    if e is None and g is None:
        return same(expected, result_form(got))
    return False


def json_lines(cmd, stdin, what):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        raise Failure(f"{what} exit {p.returncode}: {p.stderr}")
    try:
        return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    except ValueError as e:
        raise Failure(f"{what}: bad JSON line: {e}\n{p.stdout}")


def check(path, scratch, bless):
    comment = "#" if path.endswith(".py") else "//"
    with open(path) as f:
        lines = f.read().splitlines()
    runs = parse(lines, comment)
    if not runs:
        raise Failure("no run: lines")
    ticks = "".join(json.dumps(t) + "\n" for _, t, _, _ in runs)
    expecting = [(i, e) for i, _, expects, e in runs if expects]

    cpython = json_lines([sys.executable, ORACLE, path], ticks, "oracle")
    if len(cpython) != len(expecting):
        raise Failure(f"CPython gave {len(cpython)} results for {len(expecting)} ticks")
    for (i, _), c in zip(expecting, cpython):
        if isinstance(c, dict) and "oracle_error" in c:
            raise Failure(f"line {i + 1}: CPython cannot check this tick: {json.dumps(c)}")

    if bless:
        for (i, _), c in zip(expecting, cpython):
            head = lines[i].split("->", 1)[0].rstrip()
            lines[i] = f"{head} -> {json.dumps(result_form(c))}"
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return check(path, scratch, False)

    cfuncc = os.environ["CFUNCC_BIN"]
    header = lines[0][len("# cfuncc:"):] if lines and lines[0].startswith("# cfuncc:") else ""
    so = scratch + ".so"
    p = subprocess.run(
        [cfuncc, "compile", path, *shlex.split(header), "-o", so],
        capture_output=True,
        text=True,
    )
    if p.returncode != 0:
        raise Failure(f"cfuncc compile exit {p.returncode}: {p.stderr}")
    got = json_lines([cfuncc, "run", so], ticks, "cfuncc run")
    if len(got) != len(expecting):
        raise Failure(f"cfuncc run gave {len(got)} results for {len(expecting)} ticks")

    failures = []
    for ((i, e), g), c in zip(zip(expecting, got), cpython):
        if not matches(e, g):
            failures.append(
                f"line {i + 1}: expected {json.dumps(e)} but the compiled node gave {json.dumps(g)}"
            )
        if not matches(e, c):
            failures.append(
                f"line {i + 1}: expected {json.dumps(e)} but CPython gave {json.dumps(c)} (bless again?)"
            )
    if failures:
        raise Failure("\n".join(failures))


def main(argv):
    bless = argv[:1] == ["--bless"]
    if bless:
        argv = argv[1:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        check(argv[0], argv[1], bless)
    except Failure as e:
        print(f"{argv[0]}: run: lines:\n{e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
