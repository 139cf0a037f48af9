#!/usr/bin/env python3
"""Lifecycle fuzzer: random phase sequences through generated nodes under valgrind.

    python3 lifefuzz.py --cfuncc PATH [--seed S] [--seconds T] [--count N] [--out DIR]
                        [--steps K] [--batch B]

Draws nodes as difffuzz.py does (scalars, containers, datetime/timedelta),
compiles each with `--target-cpu x86-64-v3` (valgrind cannot decode
AVX-512), builds tests/fuzz/lifecycle_host.c with `cc`, and runs it under
`valgrind -q --error-exitcode=99 --leak-check=full
--errors-for-leak-kinds=definite,indirect,possible`: each node is driven
through K random steps (EXECUTE, START, STOP, unknown phase values; random
ticked/valid masks and input values; NULL input pointers for inputs that are
not valid) in both host conventions (seed: zeroed cells; csp: NULL container
slots, NULL inputs in START/STOP). Nodes run B to a valgrind process; on a
failure each node of the batch is rerun alone to find the culprit, which is
saved in DIR (NAME.py, NAME.ticks.jsonl, NAME.plan, NAME.txt with valgrind's
report). Any valgrind error, leak, crash or host check (fault code 0..14,
output_ticked 0/1, no fault outside EXECUTE) is a failure.
"""

import argparse
import json
import os
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fuzzlib  # noqa: E402
import difffuzz  # noqa: E402

VALGRIND = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect,possible"]


def build_host(work):
    exe = os.path.join(work, "lifecycle_host")
    if shutil.which("cc") is None:
        raise SystemExit("lifefuzz: cc is not installed")
    p = subprocess.run(["cc", "-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                        os.path.join(HERE, "lifecycle_host.c"), "-o", exe, "-ldl", "-lm"],
                       capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"lifefuzz: cc failed:\n{p.stderr}")
    return exe


def cell_hex(value, ty):
    if ty == "float":
        bits = struct.unpack("<Q", struct.pack("<d", float(value)))[0]
    elif isinstance(value, (bool, int)):
        bits = int(value) & (2**64 - 1)
    else:
        bits = 0
    return f"{bits:016x}"


def plan_for(so, manifest, seed, steps):
    ins = [{"float": "f", "bool": "b"}.get(i["type"], "i") for i in manifest["inputs"]]
    outs = [str(o["cell_size"]) for o in manifest["outputs"]]
    state = sorted(manifest["state"], key=lambda s: s["slot"])
    specs = []
    for s, v in zip(state, manifest["state_values"]):
        if s["kind"] == "container":
            specs.append("c")
        elif s["kind"] == "struct":
            hexed = s["initial_bytes"]
            if len(hexed) == 16:  # host_util.h reads 8 bytes as one %016llx cell
                hexed = bytes.fromhex(hexed)[::-1].hex()
            specs.append(f"s:{s['size']}:{hexed}")
        else:
            specs.append("v:" + cell_hex(v, s["type"]))
    return (f"node {so} {manifest['native_name']} {manifest['fault_symbol']}\n"
            f"inputs {len(ins)} {' '.join(ins)}\noutputs {len(outs)} {' '.join(outs)}\n"
            f"state {len(specs)} {' '.join(specs)}\n"
            f"fuzz {seed} {steps} seed\nfuzz {seed + 1} {steps} csp\nend\n")


def run_host(exe, plan_text, work, tag):
    path = os.path.join(work, f"plan-{tag}.txt")
    with open(path, "w") as f:
        f.write(plan_text)
    code, out, err = fuzzlib.run(VALGRIND + [exe, path], timeout=600)
    return code, out, err


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cfuncc", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--seconds", type=float, default=0)
    p.add_argument("--count", type=int, default=0, help="nodes (0: no limit)")
    p.add_argument("--steps", type=int, default=200, help="random steps per node and convention")
    p.add_argument("--batch", type=int, default=8, help="nodes per valgrind run")
    p.add_argument("--out", default=os.path.join(fuzzlib.ROOT, "target", "fuzz", "life"))
    p.add_argument("--exclude", default=",".join(difffuzz.DEFAULT_EXCLUDE),
                   help="forms not to generate, as difffuzz.py (default: %(default)s)")
    p.add_argument("--include-known", action="store_true", help="generate the known-defect forms too")
    a = p.parse_args(argv)
    if not a.seconds and not a.count:
        p.error("give --seconds and/or --count")
    if shutil.which("valgrind") is None:
        raise SystemExit("lifefuzz: valgrind is not installed (scripts/install-deps)")
    exclude = set() if a.include_known else {e for e in a.exclude.split(",") if e}
    cfuncc = os.path.abspath(a.cfuncc)
    deadline = fuzzlib.Deadline(a.seconds)
    counts = dict(nodes=0, steps=0, failures=0, rejected=0)
    failures = []
    with tempfile.TemporaryDirectory(prefix="lifefuzz-") as work:
        exe = build_host(work)
        index = 0
        while not deadline.passed() and not (a.count and counts["nodes"] >= a.count):
            batch = []
            while len(batch) < a.batch and not (a.count and counts["nodes"] + len(batch) >= a.count):
                drawn = difffuzz.draw(a.seed, index, exclude)
                index += 1
                if drawn is None:
                    continue
                name, source, ticks, _ = drawn
                name = name.replace("fuzz_", "life_")
                source = source.replace(drawn[0], name)
                py = os.path.join(work, name + ".py")
                so = os.path.join(work, name + ".so")
                with open(py, "w") as f:
                    f.write(source)
                args = shlex.split(source.partition("\n")[0][len("# cfuncc:"):])
                code, _, err = fuzzlib.run([cfuncc, "compile", py, *args, "--target-cpu", "x86-64-v3", "-o", so])
                if fuzzlib.is_failure(code):
                    counts["failures"] += 1
                    failures.append(f"{name}: compile {fuzzlib.signature(code, err)}")
                    continue
                if code:
                    counts["rejected"] += 1
                    continue
                manifest = json.load(open(so[:-3] + ".json"))
                batch.append((name, source, ticks, plan_for(so, manifest, index * 7919 + a.seed, a.steps)))
                if deadline.passed():
                    break
            if not batch:
                continue
            counts["nodes"] += len(batch)
            counts["steps"] += 2 * a.steps * len(batch)
            code, out, err = run_host(exe, "".join(b[3] for b in batch), work, "batch")
            ran = sum(1 for line in out.splitlines() if line.startswith("fuzz "))
            if code == 0 and ran != 2 * len(batch):
                code = -1000  # the host stopped early without saying why
            if code == 0:
                continue
            for name, source, ticks, plan in batch:
                c1, o1, e1 = run_host(exe, plan, work, name)
                if c1 == 0 and sum(1 for line in o1.splitlines() if line.startswith("fuzz ")) != 2:
                    c1 = -1000
                if c1 == 0:
                    continue
                counts["failures"] += 1
                os.makedirs(a.out, exist_ok=True)
                base = os.path.join(a.out, name)
                with open(base + ".py", "w") as f:
                    f.write(source)
                with open(base + ".ticks.jsonl", "w") as f:
                    f.writelines(json.dumps(t) + "\n" for t in ticks)
                so_line = plan.split("\n")[0].split()
                shutil.copy(so_line[1], base + ".so")
                shutil.copy(so_line[1][:-3] + ".json", base + ".json")
                with open(base + ".plan", "w") as f:
                    f.write(plan.replace(so_line[1], name + ".so"))
                with open(base + ".txt", "w") as f:
                    f.write(f"lifecycle host under valgrind: {fuzzlib.describe(c1)}\n\n"
                            f"cfuncc compile {name}.py {source.partition(chr(10))[0][9:].strip()} "
                            f"--target-cpu x86-64-v3 -o {name}.so\ncc -std=c11 -O1 -g tests/fuzz/lifecycle_host.c "
                            f"-o lifecycle_host -ldl -lm\n{' '.join(VALGRIND)} ./lifecycle_host {name}.plan\n\n"
                            f"stdout (tail):\n{o1[-1500:]}\nstderr:\n{e1[-6000:]}\n")
                failures.append(f"{name}: {fuzzlib.describe(c1)} -> {base}.py")
                print(f"FAIL {failures[-1]}", flush=True)
            if code != 0 and not any(f.startswith(tuple(b[0] + ":" for b in batch)) for f in failures):
                counts["failures"] += 1
                failures.append(f"batch at {batch[0][0]}: {fuzzlib.describe(code)} only together: {err[-500:]}")
                print(f"FAIL {failures[-1]}", flush=True)
    print(f"lifefuzz seed {a.seed}: {counts['nodes']} nodes, {counts['steps']} random steps under valgrind, "
          f"{counts['failures']} failures, {counts['rejected']} rejected by the compiler")
    print(f"{counts['nodes'] - counts['failures']} passed, {counts['failures']} failed")
    return 1 if counts["failures"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
