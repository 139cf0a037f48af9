#!/usr/bin/env python3
"""Fills in the expected outputs of the conformance cases in this folder
from CPython, through the differential oracle (tests/differential/oracle.py).

    python3 tests/conformance/expect.py            # rewrite every *.json here
    python3 tests/conformance/expect.py --check    # exit 1 if any differs

These cases follow the shared format (../shared/conformance/README.md) and
name the upstream test each one comes from (`upstream`). No release of the
seed newer than 0.3.1 exists to measure them on, so, as in the differential
suite, CPython is the oracle: a case's `expected` values are never written by
hand (tests/conformance.rs checks that they are still CPython's).

Beyond the shared format, a case here may have:
- `function`: the node's name, where the source defines helpers before it
  (otherwise the first `def` is the node);
- `types`: a `--types` document (structs and enums, README "Structs: C
  layouts"), written to a file and given to both cfuncc and the oracle;
- `options`: further flags that both `cfuncc compile` and the oracle take
  (`--datetime-as-int`).
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "..", "differential", "oracle.py")


def literal(v):
    """A JSON constant as the Python literal `--const` takes."""
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, list):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {literal(x)}" for k, x in v.items()) + "}"
    return json.dumps(v)


def function_name(case):
    """The node's name: `function`, else the source's first `def`."""
    return case.get("function") or case["source"].split("def ", 1)[1].split("(", 1)[0].strip()


def expected(case):
    """The outputs CPython gives for each non-phase tick of `case`."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, f"{case['name']}.py")
        with open(src, "w") as f:
            f.write(case["source"])
        args = [sys.executable, ORACLE, src, "--function", function_name(case)]
        for k, v in case["constants"].items():
            args += ["--const", f"{k}={literal(v)}"]
        if "types" in case:
            types = os.path.join(tmp, f"{case['name']}.types.json")
            with open(types, "w") as f:
                json.dump(case["types"], f)
            args += ["--types", types]
        args += case.get("options", [])
        ticks = "".join(
            json.dumps({k: v for k, v in t.items() if k != "expected"}) + "\n" for t in case["ticks"]
        )
        r = subprocess.run(args, input=ticks, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{case['name']}: the oracle failed:\n{r.stderr}")
    out = []
    for line in r.stdout.splitlines():
        got = json.loads(line)
        if "outputs" not in got:
            sys.exit(f"{case['name']}: CPython gives {line}; a conformance case does not fault")
        out.append(got["outputs"])
    return out


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(HERE, name)
        with open(path) as f:
            cases = json.load(f)
        for case in cases:
            outs = iter(expected(case))
            for t in case["ticks"]:
                if "phase" in t:
                    continue
                want = next(outs)
                if t.get("expected") != want:
                    stale.append(f"{name}: {case['name']}: {t.get('expected')} != CPython's {want}")
                    t["expected"] = want
        if not check:
            with open(path, "w") as f:
                json.dump(cases, f, indent=1)
                f.write("\n")
    if check and stale:
        sys.exit("\n".join(stale))


if __name__ == "__main__":
    main()
