#!/usr/bin/env python3
"""Mutation crash fuzzer for cfuncc, cfunc-opt and `cfuncc run`.

    python3 mutfuzz.py --cfuncc PATH --cfunc-opt PATH [--seed S] [--seconds T] [--count N]
                       [--out DIR] [--max-nest N] [--include-known]

Takes the test inputs (tests/differential/nodes/*.py, tests/diagnostics/*.py,
tests/ir/**/*.py and tests/ir/**/*.mlir), mutates them (delete, duplicate and
swap lines; replace operators and literals; nest expressions; truncate;
insert random tokens) and runs:

* `cfuncc compile` on a Python mutant;
* `cfunc-opt` on a Python mutant (default pipeline to a random stage, or a
  random `--pass-pipeline` of cfunc and upstream passes) and on an MLIR text
  mutant (`--split-input-file`, with or without a random pipeline);
* `cfuncc run` on a few compiled nodes with mutated tick lines (bad JSON,
  wrong counts and types, bad phases) and tampered manifests (fields removed,
  types changed, counts changed).

cfunc-opt verifies the module after every pass (cfunc and upstream); cfuncc
compile after every cfunc pass (`cfunc-to-llvm` runs its upstream
conversions without verifying in between; cfunc-opt's
`--pass-pipeline=...,convert-scf-to-cf,...` runs them one by one, verified).

Exit 0, 1 and 2 are fine. A signal, a panic (101), an internal error (3)
or a timeout is a failure, saved into DIR (minimised by deleting lines while
the failure persists) with a .txt giving the command and its stderr. A crash
that starts in an upstream MLIR pass on IR that verified (cfunc-opt runs the
pipeline prefix before it cleanly) is an upstream bug: recorded in
DIR/upstream, not counted as a failure. A crash matching a known open defect
(fuzzlib.KNOWN_DEFECTS) is counted as `known` unless --include-known.
"""

import argparse
import glob
import json
import os
import random
import re
import shlex
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fuzzlib  # noqa: E402

ROOT = fuzzlib.ROOT
CFUNC_PASSES = ["cfunc-resolve", "cfunc-lower-arith", "cfunc-simplify-containers", "cfunc-fuse-dict-updates",
                "cfunc-lower-containers", "cfunc-lower-lifecycle", "cfunc-lower-faults", "cfunc-lower-io",
                "cfunc-lower-state", "cfunc-to-llvm"]
TO_LLVM = ["convert-scf-to-cf", "convert-math-to-llvm", "convert-math-to-libm", "convert-arith-to-llvm",
           "convert-cf-to-llvm", "convert-func-to-llvm", "convert-ub-to-llvm", "reconcile-unrealized-casts"]
UPSTREAM = ["canonicalize", "cse", "inline", "symbol-dce", "sccp", "loop-invariant-code-motion",
            "control-flow-sink", "remove-dead-values", "strip-debuginfo", "mem2reg", "sroa"] + TO_LLVM
# findings of this fuzzer not fixed yet (docs/fuzzing.md), avoided by default
DEFAULT_EXCLUDE = []
OPS = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "<", "<=", ">", ">=", "==", "!=",
       " and ", " or ", " in ", " not in ", " is ", "@"]
LITERALS = ["0", "-1", "1", "9223372036854775807", "-9223372036854775808", "18446744073709551616",
            "1e308", "-0.0", "0.0", "1e-320", "True", "None", "'s'", "b'x'", "1j", "[]", "{}", "()",
            "math.nan", "math.inf", "(1, 2)", "[1.5]", "{1: 2}", "-(2**63)", "10**30", "0x7f", "1_000"]
TOKENS = [":", "(", ")", "[", "]", "{", "}", ",", "=", "lambda", "yield", "await", "*", "**", "def", "class",
          "\t", "\\", "'", '"""', "@", "->", "...", "None", "global x", "nonlocal x", "x.y", "f'{x}'",
          "return", "break", "continue", "del", "pass", "if", "else", "for", "while", "match", "case", "async",
          "import os", "x: State[int] = 0", "set_output()", "ticked()", "valid(1)", "create_new_list()",
          "create_new_dict(int)", "\n    ", "\n", "  ", "%", "!", "$", "?", "\x00", "é", "# c"]
MLIR_TOKENS = ["%0", "%x", "(", ")", "{", "}", "<", ">", ":", "i64", "f64", "i1", "!llvm.ptr", "!cfunc.list<i64>",
               "!cfunc.dict<i64, f64>", "\"cfunc.check\"", "\"cfunc.state_load\"", "slot = 99 : i64",
               "code = -1 : i32", "loc(unknown)", "^bb1:", "func.return", "arith.constant 0 : i64", "->",
               "\"\"", "#", "// -----", "\n", "@f", "index", "memref<?xi64>", "tensor<2xf32>", "vector<4xf64>"]


def header_args(text):
    first = text.partition("\n")[0]
    return shlex.split(first[len("# cfuncc:"):]) if first.startswith("# cfuncc:") else []


def corpus():
    py = sorted(glob.glob(os.path.join(ROOT, "tests/differential/nodes/*.py")))
    py += sorted(glob.glob(os.path.join(ROOT, "tests/diagnostics/*.py")))
    # The IR tests' nodes, not lit's configuration and tools.
    py += sorted(p for p in glob.glob(os.path.join(ROOT, "tests/ir/**/*.py"), recursive=True)
                 if os.path.basename(p) != "lit.cfg.py" and "/tests/ir/tools/" not in p)
    mlir = sorted(glob.glob(os.path.join(ROOT, "tests/ir/**/*.mlir"), recursive=True))
    return py, mlir


# ------------------------------------------------------------------ mutations


def mutate(rng, text, mlir, max_nest, exclude=()):
    lines = text.split("\n")
    kind = rng.choice(["delete", "duplicate", "swap", "operator", "literal", "nest", "truncate", "token",
                       "token", "operator", "literal"])
    body = list(range(1, len(lines))) or [0]  # keep the header line most of the time
    if kind == "delete" and len(lines) > 1:
        del lines[rng.choice(body)]
    elif kind == "duplicate":
        i = rng.choice(body)
        lines.insert(rng.choice(body), lines[i])
    elif kind == "swap":
        i, j = rng.choice(body), rng.choice(body)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "operator" and not mlir:
        i = rng.choice(body)
        spots = [m for op in OPS for m in re.finditer(re.escape(op), lines[i])]
        if spots:
            m = rng.choice(spots)
            lines[i] = lines[i][:m.start()] + rng.choice(OPS) + lines[i][m.end():]
    elif kind in ("literal", "operator"):
        i = rng.choice(body)
        spots = list(re.finditer(r"-?\b\d+(\.\d+)?(e-?\d+)?\b|\bTrue\b|\bFalse\b", lines[i]))
        if spots:
            m = rng.choice(spots)
            new = rng.choice(LITERALS) if not mlir else rng.choice(["0", "-1", "99", "9223372036854775807",
                                                                    "1.5", "0x7FF8000000000000", "true"])
            if mlir and "slot-range" in exclude and "slot" in lines[i] and new not in ("0", "-1", "99", "true"):
                new = "99"  # finding slot-range: cfunc-lower-state crashes on slots >= 2**31
            lines[i] = lines[i][:m.start()] + new + lines[i][m.end():]
    elif kind == "nest" and not mlir:
        i = rng.choice(body)
        spots = list(re.finditer(r"\b[a-z_][a-z_0-9]*\b", lines[i]))
        spots = [m for m in spots if m.group() not in ("def", "return", "if", "else", "for", "in", "while",
                                                         "and", "or", "not", "is", "elif", "None", "import")]
        if spots:
            m = rng.choice(spots)
            e = m.group()
            depth = rng.randint(2, max_nest)
            form = rng.randrange(4)
            for k in range(depth):
                if form == 0:
                    e = f"({e} + {k})"
                elif form == 1:
                    e = f"abs({e})"
                elif form == 2 and k < 8:  # 10+ chained ternaries: a known defect
                    e = f"({e} if {m.group()} else {k})"
                else:
                    e = f"(-{e})"
            lines[i] = lines[i][:m.start()] + e + lines[i][m.end():]
    elif kind == "truncate":
        cut = rng.randrange(len(text) + 1)
        return text[:cut]
    else:
        i = rng.choice(body)
        pos = rng.randrange(len(lines[i]) + 1)
        tok = rng.choice(MLIR_TOKENS if mlir else TOKENS)
        lines[i] = lines[i][:pos] + tok + lines[i][pos:]
    return "\n".join(lines)


def mutate_ticks(rng, ticks):
    """Tick lines with one or more defects."""
    lines = ticks.splitlines() or ['{"inputs": []}']
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        form = rng.randrange(10)
        try:
            obj = json.loads(lines[i])
        except (ValueError, RecursionError):  # a line an earlier mutation broke
            obj = {}
        if not isinstance(obj, dict):
            obj = {}
        if form == 0:
            lines[i] = lines[i][:rng.randrange(len(lines[i]) + 1)]
        elif form == 1 and isinstance(obj.get("inputs"), list):
            obj["inputs"] = obj["inputs"] + [1] if rng.random() < 0.5 else obj["inputs"][:-1]
            lines[i] = json.dumps(obj)
        elif form == 2 and isinstance(obj.get("inputs"), list) and obj["inputs"]:
            j = rng.randrange(len(obj["inputs"]))
            obj["inputs"][j] = rng.choice(["x", None, [], {}, True, 2**64, -2**63 - 1, 1.5, 10**400, "NaN"])
            lines[i] = json.dumps(obj)
        elif form == 3:
            obj[rng.choice(["ticked", "valid"])] = rng.choice([[], [True] * 9, "yes", None, [2, -1, 1.5], 7])
            lines[i] = json.dumps(obj)
        elif form == 4:
            lines[i] = json.dumps({"phase": rng.choice(["bogus", "", None, 1, "START", "execute"])})
        elif form == 5:
            lines[i] = rng.choice(["[]", "null", "1", '"x"', "{}", '{"inputs": null}', "\x00", "{" * 200,
                                   "[" * 5000, '{"inputs": [' + "1," * 10000 + "1]}"])
        elif form == 6:
            lines.insert(i, rng.choice(['{"phase": "stop"}', '{"phase": "start"}']))
        elif form == 7 and "inputs" in lines[i]:
            lines[i] = lines[i].replace("inputs", rng.choice(["input", "INPUTS", "outputs"]), 1)
        elif form == 8:
            lines[i] = lines[i] + " " + lines[i]
        else:
            lines[i] = lines[i].replace(",", rng.choice([", ,", ";", ", 1e999,", ""]), 1)
    return "\n".join(lines) + "\n"


def tamper(rng, manifest, exclude=()):
    """A manifest with one or more fields removed, retyped or recounted."""
    m = json.loads(json.dumps(manifest))
    for _ in range(rng.randint(1, 3)):
        paths = []

        def walk(v, path):
            paths.append(path)
            if isinstance(v, dict):
                for k, w in v.items():
                    walk(w, path + [k])
            elif isinstance(v, list):
                for k, w in enumerate(v):
                    walk(w, path + [k])
        walk(m, [])
        if "manifest-layout" in exclude:  # finding manifest-layout: the runner trusts these
            paths = [q for q in paths if not (q and q[0] in ("categories", "outputs", "state"))]
        path = rng.choice(paths[1:] or paths)
        parent = m
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1] if path else None
        form = rng.randrange(5)
        if key is None:
            continue
        if form == 0:
            del parent[key]
        elif form == 1:
            parent[key] = rng.choice([None, "x", -1, 2**40, 1.5, [], {}, True, 0, 99])
        elif form == 2 and isinstance(parent[key], list):
            parent[key] = parent[key] + parent[key][:1] if rng.random() < 0.5 else parent[key][:-1]
        elif form == 3 and isinstance(parent[key], int) and not isinstance(parent[key], bool):
            parent[key] = parent[key] + rng.choice([-1, 1, 64, -1000, 2**31])
        elif form == 4 and isinstance(parent[key], str):
            parent[key] = rng.choice(["", "nope", parent[key] + "x", "float", "int", "bool", "container"])
    return m


# ------------------------------------------------------------------ running


class Fuzzer:
    def __init__(self, args, work):
        self.a = args
        self.work = work
        self.cfuncc = os.path.abspath(args.cfuncc)
        self.opt = os.path.abspath(args.cfunc_opt)
        self.counts = dict(inputs=0, runs=0, failures=0, known=0, upstream=0)
        self.seen = set()
        self.failures = []
        self.upstream = []
        self.known = {}
        self.exclude = set() if args.include_known else {e for e in args.exclude.split(",") if e}

    def write(self, name, text):
        path = os.path.join(self.work, name)
        with open(path, "w", errors="replace") as f:
            f.write(text)
        return path

    def run(self, cmd, stdin=None):
        self.counts["runs"] += 1
        return fuzzlib.run(cmd, stdin=stdin, timeout=self.a.timeout)

    # one command on one input; returns the failure signature or None
    def check(self, cmd, stdin=None):
        code, _, err = self.run(cmd, stdin)
        if not fuzzlib.is_failure(code):
            return None
        return fuzzlib.signature(code, err), err

    def report(self, label, cmd, text, ext, sig, err, stdin=None, files=()):
        """Classify and save one failure."""
        known = fuzzlib.known_defect(err, self.a.include_known)
        upstream = located = None
        if not known and ext in (".py", ".mlir"):
            located = self.locate(cmd, text, ext)
            if located and located[0] == "cfunc-fuse-dict-updates" and not self.a.include_known:
                known = "dict-aug"
            elif located and not located[0].startswith("cfunc-"):
                upstream = located
        if known:
            self.counts["known"] += 1
            self.known[known] = self.known.get(known, 0) + 1
            return
        if upstream:
            self.counts["upstream"] += 1
            key = (upstream[0], sig)
            if key in self.seen:
                return
            self.seen.add(key)
            d = os.path.join(self.a.out, "upstream")
            os.makedirs(d, exist_ok=True)
            name = f"upstream_{len(self.upstream)}_{upstream[0]}"
            with open(os.path.join(d, name + ".mlir"), "w") as f:
                f.write(upstream[1])
            with open(os.path.join(d, name + ".txt"), "w") as f:
                f.write(f"{sig}\n\ncfunc-opt {name}.mlir --pass-pipeline='builtin.module({upstream[0]})'\n\n"
                        f"stderr:\n{err[-3000:]}\n")
            self.upstream.append(f"{upstream[0]}: {sig} -> {os.path.join(d, name)}.mlir")
            print(f"UPSTREAM {self.upstream[-1]}", flush=True)
            return
        self.counts["failures"] += 1
        if sig in self.seen:
            return
        self.seen.add(sig)
        if ext in (".py", ".mlir") and stdin is None:
            text = self.minimise(cmd, text, ext, sig)
        name = f"mut_{self.a.seed}_{len(self.failures)}"
        os.makedirs(self.a.out, exist_ok=True)
        with open(os.path.join(self.a.out, name + ext), "w", errors="replace") as f:
            f.write(text)
        idx = self.input_index(cmd)
        shown = [name + ext if i == idx else name + ".so" if c.endswith(".so") and files else c
                 for i, c in enumerate(cmd)]
        where = f"first crashing pass: {located[0]} (the IR before it verified)\n" if located else ""
        with open(os.path.join(self.a.out, name + ".txt"), "w") as f:
            f.write(f"{label}: {sig}\n{where}\n{shlex.join(shown)}" + (f" < {name}.stdin" if stdin is not None else "")
                    + f"\n\nstderr:\n{err[-3000:]}\n")
        if stdin is not None:
            with open(os.path.join(self.a.out, name + ".stdin"), "w") as f:
                f.write(stdin)
        for src, dst in files:
            with open(src, "rb") as f, open(os.path.join(self.a.out, name + dst), "wb") as g:
                g.write(f.read())
        self.failures.append(f"{label}: {sig} -> {os.path.join(self.a.out, name + ext)}")
        print(f"FAIL {self.failures[-1]}", flush=True)

    @staticmethod
    def input_index(cmd):
        for i, c in enumerate(cmd):
            if c.endswith((".py", ".mlir", ".json")) and os.path.dirname(c):
                return i
        return -1

    def minimise(self, cmd, text, ext, sig):
        """Delete lines while the same failure persists (bounded)."""
        lines = text.split("\n")
        i = len(lines) - 1
        trials = 0
        idx = self.input_index(cmd)
        while i >= (1 if ext == ".py" else 0) and trials < self.a.minimise_trials:
            cand = lines[:i] + lines[i + 1:]
            path = self.write("min" + ext, "\n".join(cand))
            c = list(cmd)
            c[idx] = path
            trials += 1
            got = self.check(c)
            if got and got[0] == sig:
                lines = cand
            i -= 1
        return "\n".join(lines)

    def locate(self, cmd, text, ext):
        """(pass, IR before it) when a crash starts in one pass of the
        pipeline on IR that verified; None if it cannot be pinned down."""
        path = self.write("loc" + ext, text)
        base = [self.opt, path]
        if ext == ".py":
            args = header_args(text) or header_args(open(path).read())
            base += [a for a in args] if args else []
        pipeline = None
        for c in cmd:
            if c.startswith("--pass-pipeline="):
                pipeline = c[len("--pass-pipeline=builtin.module("):-1].split(",")
        if pipeline is None:
            pipeline = CFUNC_PASSES if ext == ".py" else None
        if not pipeline:
            return None
        # expand cfunc-to-llvm into its upstream passes, each verified
        steps = []
        for p in pipeline:
            steps += TO_LLVM if p == "cfunc-to-llvm" else [p]
        extra = ["--split-input-file"] if "--split-input-file" in cmd else []
        prev_ir = None
        for k in range(len(steps) + 1):
            c = base + extra + ([f"--pass-pipeline=builtin.module({','.join(steps[:k])})"] if k else [])
            code, out, _ = self.run(c)
            if fuzzlib.is_failure(code):
                if k and prev_ir is not None:
                    return steps[k - 1], prev_ir
                return None
            if code != 0:
                return None
            prev_ir = out
        return None

    # ------------------------------------------------------------ rounds

    def python_round(self, rng, path):
        text = open(path, errors="replace").read()
        args = header_args(text)
        for _ in range(rng.randint(1, 3)):
            text = mutate(rng, text, False, self.a.max_nest, self.exclude)
        self.counts["inputs"] += 1
        src = self.write("m.py", text)
        fn = [a for a in args] or ["--function", "f"]
        cmd = [self.cfuncc, "compile", src, *fn, "-o", os.path.join(self.work, "m.so")]
        got = self.check(cmd)
        if got:
            self.report("cfuncc compile", cmd, text, ".py", *got)
        if self.a.verify_each and rng.random() < 0.3:
            # the default pipeline with every upstream conversion verified
            full = CFUNC_PASSES[:-1] + TO_LLVM
            cmd = [self.opt, src, *fn, f"--pass-pipeline=builtin.module({','.join(full)})"]
        elif rng.random() < 0.5:
            cmd = [self.opt, src, *fn, f"--emit-stage={rng.choice(CFUNC_PASSES + ['cfunc', 'llvm-dialect'])}"]
        else:
            cmd = [self.opt, src, *fn, f"--pass-pipeline=builtin.module({','.join(self.pipeline(rng))})"]
        got = self.check(cmd)
        if got:
            self.report("cfunc-opt", cmd, text, ".py", *got)

    def pipeline(self, rng):
        passes = []
        k = rng.randint(0, len(CFUNC_PASSES))
        chain = CFUNC_PASSES[:k] if rng.random() < 0.7 else rng.sample(CFUNC_PASSES, rng.randint(1, 4))
        if "pass-order" in self.exclude and "cfunc-to-llvm" in chain:
            chain = [p for p in chain if p != "cfunc-to-llvm"] + ["cfunc-to-llvm"]
        for j, p in enumerate(chain):
            passes.append(p)
            if rng.random() < 0.3:
                extra = rng.choice(UPSTREAM)
                if extra in TO_LLVM and "pass-order" in self.exclude and j + 1 < len(chain):
                    continue  # a cfunc pass after an llvm conversion (finding pass-order)
                passes.append(extra)
        passes = passes or [rng.choice(UPSTREAM)]
        if self.a.verify_each:
            # cfunc-to-llvm runs its conversions unverified in between; name them
            passes = [q for p in passes for q in (TO_LLVM if p == "cfunc-to-llvm" else [p])]
        return passes

    def mlir_round(self, rng, path):
        text = open(path, errors="replace").read()
        for _ in range(rng.randint(1, 3)):
            text = mutate(rng, text, True, self.a.max_nest, self.exclude)
        self.counts["inputs"] += 1
        src = self.write("m.mlir", text)
        cmd = [self.opt, src, "--split-input-file"]
        if rng.random() < 0.7:
            cmd.append(f"--pass-pipeline=builtin.module({','.join(self.pipeline(rng))})")
        got = self.check(cmd)
        if got:
            self.report("cfunc-opt", cmd, text, ".mlir", *got)

    def prepare_run_nodes(self, rng):
        """A few differential nodes compiled once, for the `cfuncc run` rounds."""
        nodes = []
        names = ["ema", "dt_arith", "fault_input_not_valid", "list_minmax_nan", "ticked_valid",
                 "dict_update_in_loop", "lru_cache", "dt_named_outputs"]
        for n in names:
            py = os.path.join(ROOT, "tests/differential/nodes", n + ".py")
            if not os.path.exists(py):
                continue
            so = os.path.join(self.work, f"run_{n}.so")
            code, _, err = fuzzlib.run([self.cfuncc, "compile", py, *header_args(open(py).read()), "-o", so])
            if code != 0:
                raise SystemExit(f"mutfuzz: cannot compile {py}: {err}")
            ticks = open(os.path.join(ROOT, "tests/differential/nodes", n + ".ticks.jsonl")).read()
            nodes.append((so, json.load(open(so[:-3] + ".json")), ticks))
        return nodes

    def run_round(self, rng, nodes):
        so, manifest, ticks = rng.choice(nodes)
        self.counts["inputs"] += 1
        if rng.random() < 0.5:
            stdin = mutate_ticks(rng, ticks)
            cmd = [self.cfuncc, "run", so]
            got = self.check(cmd, stdin)
            if got:
                self.report("cfuncc run (ticks)", cmd, "", ".stdin", *got, stdin=stdin, files=[(so, ".so")])
        else:
            m = tamper(rng, manifest, self.exclude)
            mpath = self.write("m.json", json.dumps(m, indent=1))
            cmd = [self.cfuncc, "run", so, "--manifest", mpath]
            stdin = ticks if rng.random() < 0.7 else mutate_ticks(rng, ticks)
            got = self.check(cmd, stdin)
            if got:
                self.report("cfuncc run (manifest)", cmd, json.dumps(m, indent=1), ".json", *got, stdin=stdin,
                            files=[(so, ".so")])


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cfuncc", required=True)
    p.add_argument("--cfunc-opt", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--seconds", type=float, default=0)
    p.add_argument("--count", type=int, default=0, help="mutants (0: no limit)")
    p.add_argument("--out", default=os.path.join(ROOT, "target", "fuzz", "mut"))
    p.add_argument("--max-nest", type=int, default=40, help="deepest nesting a mutation adds")
    p.add_argument("--include-known", action="store_true",
                   help="count known defects as failures and lift the exclusions")
    p.add_argument("--exclude", default=",".join(DEFAULT_EXCLUDE),
                   help="forms not to generate (findings still open): %(default)s")
    p.add_argument("--verify-each", action="store_true",
                   help="name cfunc-to-llvm's upstream conversions in pipelines so each is verified")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--minimise-trials", type=int, default=60)
    a = p.parse_args(argv)
    if not a.seconds and not a.count:
        p.error("give --seconds and/or --count")
    rng = random.Random(f"mutfuzz:{a.seed}")
    py, mlir = corpus()
    if not py or not mlir:
        raise SystemExit("mutfuzz: no test inputs found")
    deadline = fuzzlib.Deadline(a.seconds)
    with tempfile.TemporaryDirectory(prefix="mutfuzz-") as work:
        f = Fuzzer(a, work)
        nodes = f.prepare_run_nodes(rng)
        while not deadline.passed() and not (a.count and f.counts["inputs"] >= a.count):
            r = rng.random()
            if r < 0.55:
                f.python_round(rng, rng.choice(py))
            elif r < 0.8:
                f.mlir_round(rng, rng.choice(mlir))
            else:
                f.run_round(rng, nodes)
    c = f.counts
    known = ", ".join(f"{k} {v}" for k, v in sorted(f.known.items())) or "none"
    print(f"mutfuzz seed {a.seed}: {c['inputs']} mutants, {c['runs']} tool runs, {c['failures']} failures, "
          f"{c['upstream']} upstream crashes, {c['known']} known defects ({known})")
    for u in f.upstream:
        print(f"  upstream: {u}")
    print(f"{c['inputs'] - c['failures']} passed, {c['failures']} failed")
    return 1 if c["failures"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
