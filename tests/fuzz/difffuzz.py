#!/usr/bin/env python3
"""Differential fuzzer: random well-typed nodes, compiled vs CPython.

    python3 difffuzz.py --cfuncc PATH [--seed S] [--seconds T] [--count N] [--out DIR]
                        [--exclude NAME,...] [--include-known] [--shrink-seconds T]

For a seed and a budget (seconds and/or a program count) it draws nodes from
tests/differential/generate.py's grammars (scalars, lists and dicts, loops,
early returns, faults), extended here with datetime/timedelta inputs, state,
constants and arithmetic, and with random ticked/valid masks in the ticks
(reading an input that is not valid is fault 14; the oracle models it).
Each node is compiled with `cfuncc compile`, run with `cfuncc run`, run in
CPython by tests/differential/oracle.py on the same ticks, and compared tick
by tick as tests/differential.rs does (faults by code and line; comparing
stops at an oracle_error).

A mismatch, a crash (signal, panic, internal error, timeout) or a failing
`cfuncc run` is shrunk (statements deleted, subexpressions replaced by
sub-expressions or literals, ticks dropped) while the same failure persists,
and written to DIR as NAME.py + NAME.ticks.jsonl in the differential format
(copy both into tests/differential/nodes as a regression test) with
NAME.txt saying what failed. A node the compiler rejects with a located
error (exit 1) is not a failure: it is counted and kept in DIR/rejected.

The run is reproducible: program i of seed S depends on S and i only. The
last lines are the counts and `N passed, M failed`; exit 1 on a failure.
"""

import argparse
import json
import os
import random
import re
import shlex
import signal
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fuzzlib  # noqa: E402

sys.path.insert(0, os.path.join(fuzzlib.ROOT, "tests", "differential"))
import generate  # noqa: E402
import oracle  # noqa: E402

TEMPORAL = ["datetime", "timedelta"]
DEFAULT_EXCLUDE = []
EPOCH_2024 = 1704067200 * 10**9  # 2024-01-01T00:00:00Z in ns


class Extras:
    """What difffuzz adds to generate.py's grammars (a mixin)."""

    def setup(self, temporal, masks, exclude):
        self.temporal = temporal
        self.masks = masks
        self.exclude = exclude
        if temporal:
            self.types = generate.TYPES + TEMPORAL

    # --------------------------------------------------------- temporal

    def expr(self, t, d):
        if t == "datetime":
            return self.dt_expr(d)
        if t == "timedelta":
            return self.td_expr(d)
        return super().expr(t, d)

    def td_const(self):
        r = self.rng
        unit = r.choice(["seconds", "milliseconds", "minutes", "microseconds", "hours"])
        if r.random() < 0.15:
            return "timedelta(0)"
        if r.random() < 0.15:
            return f"timedelta(days={r.randint(-2, 2)}, hours={r.randint(0, 23)})"
        return f"timedelta({unit}={r.randint(-5, 30)})"

    def dt_const(self):
        r = self.rng
        return (f"datetime(2024, {r.randint(1, 12)}, {r.randint(1, 28)}, {r.randint(0, 23)}, "
                f"{r.randint(0, 59)}, tzinfo=timezone.utc)")

    def pos_td(self):
        r = self.rng
        return f"timedelta({r.choice(['seconds', 'milliseconds', 'minutes'])}={r.randint(1, 90)})"

    def td_expr(self, d):
        r = self.rng
        if d <= 0 or r.random() < 0.3:
            names = self.visible("timedelta")
            return r.choice(names) if names and r.random() < 0.7 else self.td_const()
        a = lambda: self.td_expr(d - 1)  # noqa: E731
        c = r.randrange(10)
        if c == 0:
            return f"({a()} {r.choice(['+', '-'])} {a()})"
        if c == 1:
            return f"({a()} * {r.randint(-3, 3)})"
        if c == 2:
            return f"({a()} * (({self.int_expr(d - 1)}) % 4))"
        if c == 3:
            return f"{r.choice(['-', '+', 'abs'])}({a()})"
        if c == 4:
            return f"{r.choice(['min', 'max'])}({a()}, {a()})"
        if c == 5:
            return f"({self.dt_expr(d - 1)} - {self.dt_expr(d - 1)})"
        if c == 6:
            return f"({a()} % {self.pos_td()})"
        if c == 7:
            return f"({a()} if {self.bool_expr(d - 1)} else {a()})"
        if c == 8:
            return f"({r.randint(-2, 3)} * {a()})"
        return a()

    def dt_expr(self, d):
        r = self.rng
        if d <= 0 or r.random() < 0.3:
            names = self.visible("datetime")
            return r.choice(names) if names and r.random() < 0.7 else self.dt_const()
        c = r.randrange(4)
        if c == 0:
            return f"({self.dt_expr(d - 1)} {r.choice(['+', '-'])} {self.td_expr(d - 1)})"
        if c == 1:
            return f"{r.choice(['min', 'max'])}({self.dt_expr(d - 1)}, {self.dt_expr(d - 1)})"
        if c == 2:
            return f"({self.dt_expr(d - 1)} if {self.bool_expr(d - 1)} else {self.dt_expr(d - 1)})"
        return self.dt_expr(d - 1)

    def recv(self, e):
        """A method/attribute receiver. One that is a call (`abs(d)`,
        `max(a, b)`, `datetime(...)`) is rejected there (finding
        call-receiver), so unless that exclusion is lifted such a receiver
        becomes `(call + timedelta(0))`."""
        if re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", e):
            return e
        if "call-receiver" in self.exclude and re.match(r"[A-Za-z_][A-Za-z_0-9.]*\(", e):
            return f"({e} + timedelta(0))"
        return f"({e})"  # `-x.total_seconds()` would negate the result

    def int_expr(self, d):
        r = self.rng
        if self.temporal and d > 0 and r.random() < 0.1:
            c = r.randrange(4)
            if c == 0:
                return f"({self.td_expr(d - 1)} // {self.pos_td()})"
            if c == 1:
                return f"{self.recv(self.td_expr(d - 1))}.{r.choice(['days', 'seconds', 'microseconds'])}"
            if c == 2:
                field = r.choice(["year", "month", "day", "hour", "minute", "second", "microsecond"])
                return f"{self.recv(self.dt_expr(d - 1))}.{field}"
            return f"{self.recv(self.dt_expr(d - 1))}.{r.choice(['weekday', 'isoweekday'])}()"
        return super().int_expr(d)

    def float_expr(self, d):
        r = self.rng
        if self.temporal and d > 0 and r.random() < 0.08:
            c = r.randrange(3)
            if c == 0:
                return f"{self.recv(self.td_expr(d - 1))}.total_seconds()"
            if c == 1:
                return f"({self.td_expr(d - 1)} / {self.pos_td()})"
            return f"({self.recv(self.dt_expr(d - 1))}.timestamp() - 1.7e9)"
        return super().float_expr(d)

    def bool_expr(self, d):
        r = self.rng
        if self.temporal and d > 0 and r.random() < 0.12:
            t = r.choice(TEMPORAL)
            if t == "timedelta" and r.random() < 0.3:
                return f"({r.choice(['bool', 'not '])}({self.td_expr(d - 1)}))"
            ops = ["<", "<=", ">", ">=", "==", "!="]
            return f"({self.expr(t, d - 1)} {r.choice(ops)} {self.expr(t, d - 1)})"
        return super().bool_expr(d)

    def state_literal(self, t):
        if t == "timedelta":
            return self.td_const()
        if t == "datetime":
            return self.dt_const()
        return super().state_literal(t)

    def literal(self, t):
        return self.state_literal(t) if t in TEMPORAL else super().literal(t)

    # --------------------------------------------------------- statements

    def statement(self, indent, depth):
        r = self.rng
        if r.random() < 0.07:
            if self.inputs and r.random() < 0.5 and "input-assign" not in self.exclude:
                # a parameter assigned to is a local from then on (on that path)
                name, t = r.choice(self.inputs)
                self.emit(indent, f"{name} = {self.expr(t, 2)}")
                return
            if depth < 2 and "match" not in self.exclude:
                self.match_stmt(indent, depth)
                return
        super().statement(indent, depth)

    def match_stmt(self, indent, depth):
        r = self.rng
        self.emit(indent, f"match ({self.int_expr(2)}) % {r.choice([3, 4, 5])}:")
        for lit in r.sample(range(-1, 5), r.randint(1, 3)):
            pattern = str(lit) if r.random() < 0.6 else f"{lit} | {lit + r.randint(1, 5)}"
            guard = f" if {self.bool_expr(1)}" if r.random() < 0.2 else ""
            self.emit(indent + 1, f"case {pattern}{guard}:")
            self.block(indent + 2, r.randint(1, 2), depth + 1)
        if r.random() < 0.6:  # an irrefutable case only last (duplicates-accepted)
            if r.random() < 0.5:
                self.emit(indent + 1, "case _:")
                self.block(indent + 2, r.randint(1, 2), depth + 1)
            else:
                c = self.fresh("c")
                self.emit(indent + 1, f"case {c}:")
                self.scopes.append({})
                self.declare(c, "int", "loop")
                self.block(indent + 2, r.randint(1, 2), depth + 1)
                self.scopes.pop()

    # --------------------------------------------------------- exclusions

    def emit(self, indent, text):
        if "dict-aug" in self.exclude and hasattr(self, "dicts"):
            split = self.dict_update(text)
            if split:
                for line in split:
                    super().emit(indent, line)
                return
        super().emit(indent, text)

    def dict_update(self, text):
        """`d[k] op= v`, or `d[k] = e` with e reading d, as a temporary and a
        store: cfunc-fuse-dict-updates crashes when the update folds to an
        identity (`d[x] += 0`, `d[k] = d.get(k, x)`, `d[k] = d.get(k, x) * 1`:
        known defect dict-aug), and a temporary keeps it from fusing."""
        name = text.split("[", 1)[0]
        if name not in self.dicts or not text.startswith(name + "["):
            return None
        depth = 0
        for i, c in enumerate(text):
            depth += c == "["
            depth -= c == "]"
            if c == "]" and depth == 0:
                break
        else:
            return None
        target, rest = text[:i + 1], text[i + 1:]
        if rest[:4] in (" += ", " -= ", " *= "):
            value = f"{target} {rest[1]} ({rest[4:]})"
        elif rest.startswith(" = ") and (f"{name}.get(" in rest or f"{name}[" in rest):
            value = rest[3:]
        else:
            return None
        tmp = self.fresh("u")
        return [f"{tmp} = {value}", f"{target} = {tmp}"]

    # --------------------------------------------------------- whole node

    def build(self):
        source = super().build()
        if self.temporal:
            head, _, rest = source.partition("\n")
            source = head + "\nfrom datetime import datetime, timedelta, timezone\n" + rest
        return source

    def ticks(self):
        r = self.rng
        out = super().ticks()
        for tick in out:
            if "inputs" not in tick:
                continue
            for j, (_, t) in enumerate(self.inputs):
                if t == "datetime":
                    tick["inputs"][j] = EPOCH_2024 + r.randint(0, 90 * 86400 * 10**6) * 1000
                elif t == "timedelta":
                    us = r.randint(-3, 3) * 10**6 if r.random() < 0.3 else r.randint(-2 * 86400 * 10**6, 2 * 86400 * 10**6)
                    tick["inputs"][j] = us * 1000
            if self.masks and r.random() < 0.3:
                n = len(self.inputs)
                tick["valid"] = [r.random() < 0.75 for _ in range(n)]
                tick["ticked"] = [v and r.random() < 0.8 for v in tick["valid"]]
        return out


class ScalarNode(Extras, generate.Program):
    pass


class ContainerNode(Extras, generate.ContainerProgram):
    pass


def draw(seed, index, exclude):
    """(name, source, ticks, oracle lines) of program `index`, redrawn until
    the oracle has something to compare; None if 30 drafts fail."""
    name = f"fuzz_{seed}_{index}"
    for attempt in range(30):
        rng = random.Random(f"difffuzz:{seed}:{index}:{attempt}")
        containers = rng.random() < 0.4 and "containers" not in exclude
        temporal = rng.random() < 0.35 and "temporal" not in exclude
        masks = rng.random() < 0.5 and "masks" not in exclude
        prog = (ContainerNode if containers else ScalarNode)(rng, name)
        prog.setup(temporal, masks, exclude)
        source = prog.build()
        ticks = prog.ticks()
        lines = oracle_lines(source, ticks)
        if lines and "oracle_error" not in lines[0] and any("outputs" in l for l in lines):
            return name, source, ticks, lines
    return None


class OracleTimeout(BaseException):
    """The oracle ran too long (a shrinking step can make a loop endless);
    a BaseException, so that the oracle's per-tick handler does not take it."""


def _alarm(signum, frame):
    raise OracleTimeout()


def oracle_lines(source, ticks, seconds=10):
    """The oracle's output lines as dicts, or None on a usage error or when
    it runs longer than `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(source)
        path = f.name
    try:
        args = shlex.split(source.partition("\n")[0][len("# cfuncc:"):])
        consts = [args[j + 1] for j, a in enumerate(args) if a == "--const"]
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(seconds)
        try:
            node = oracle.load(path, args[args.index("--function") + 1], consts)
            # oracle.py's traceback filter needs the file name the node ran from
            return [json.loads(l) for l in oracle.run_lines(node, [json.dumps(t) for t in ticks])]
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    except (Exception, OracleTimeout):  # a usage error, a draft the oracle cannot load, a timeout
        return None
    finally:
        os.unlink(path)


# ------------------------------------------------------------------ compare


def same(a, b):
    """tests/common/mod.rs `same`: ints exact, floats to 1e-12 relative."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        x, y = float(a), float(b)
        return x == y or abs(x - y) <= 1e-12 * max(abs(x), abs(y))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and same(v, b[k]) for k, v in a.items())
    return a == b


def same_fault(got, want):
    if not isinstance(got, dict):
        return False
    return got.get("code") == want.get("code") and ("line" not in want or got.get("line") == want["line"])


def compare(got, expected):
    """(ticks compared, None) or (ticks compared, what differs)."""
    if len(got) != len(expected):
        return 0, f"{len(got)} lines from cfuncc run, {len(expected)} from CPython"
    n = 0
    for i, (g, e) in enumerate(zip(got, expected)):
        if "oracle_error" in e:
            break
        n += 1
        if "error" in e:
            if not same_fault(g.get("error"), e["error"]):
                return n, f"tick {i}: compiled {json.dumps(g)}, CPython {json.dumps(e)}"
            continue
        if not same(g, e):
            return n, f"tick {i}: compiled {json.dumps(g)}, CPython {json.dumps(e)}"
    return n, None


class Runner:
    def __init__(self, cfuncc, work):
        self.cfuncc = cfuncc
        self.work = work

    def check(self, name, source, ticks):
        """('ok', n) | ('rejected', msg) | ('skip', msg) | ('crash', sig, detail) |
        ('mismatch', n, detail)."""
        expected = oracle_lines(source, ticks)
        if expected is None:
            return ("skip", "oracle usage error")
        py = os.path.join(self.work, name + ".py")
        so = os.path.join(self.work, name + ".so")
        with open(py, "w") as f:
            f.write(source)
        args = shlex.split(source.partition("\n")[0][len("# cfuncc:"):])
        code, _, err = fuzzlib.run([self.cfuncc, "compile", py, *args, "-o", so], timeout=120)
        if fuzzlib.is_failure(code):
            return ("crash", "compile " + fuzzlib.signature(code, err), err[-2000:])
        if code != 0:
            return ("rejected", err.strip()[:400])
        stdin = "".join(json.dumps(t) + "\n" for t in ticks)
        code, out, err = fuzzlib.run([self.cfuncc, "run", so], stdin=stdin, timeout=60)
        if code != 0:
            return ("crash", "run " + fuzzlib.signature(code, err), err[-2000:])
        try:
            got = [json.loads(l) for l in out.splitlines()]
        except json.JSONDecodeError as e:
            return ("crash", "run: bad JSON", str(e))
        n, diff = compare(got, expected)
        for path in (py, so, so[:-3] + ".json"):
            if os.path.exists(path):
                os.unlink(path)
        return ("mismatch", n, diff) if diff else ("ok", n)


def same_failure(a, b):
    if a[0] != b[0]:
        return False
    return a[0] == "mismatch" or a[1] == b[1]


def shrink(runner, name, source, ticks, failure, seconds):
    """The smallest (source, ticks) found in `seconds` that fails as `failure` does."""
    deadline = fuzzlib.Deadline(seconds)
    header, _, body = source.partition("\n")

    def fails(src_body, tks):
        return same_failure(runner.check(name + "_s", header + "\n" + src_body, tks), failure)

    # ticks: keep up to the failing one, then drop one at a time
    if failure[0] == "mismatch" and failure[2].startswith("tick "):
        bad = int(failure[2].split()[1].rstrip(":"))
        seen = -1
        for j, t in enumerate(ticks):
            if "inputs" in t:
                seen += 1
            if seen == bad:
                if fails(body, ticks[:j + 1]):
                    ticks = ticks[:j + 1]
                break
    j = len(ticks) - 1
    while j >= 0 and not deadline.passed():
        if len(ticks) > 1 and fails(body, ticks[:j] + ticks[j + 1:]):
            ticks = ticks[:j] + ticks[j + 1:]
        j -= 1
    body = fuzzlib.shrink_source(body, lambda b: fails(b, ticks), deadline)
    return header + "\n" + body, ticks


def save(out_dir, name, source, ticks, failure, cfuncc):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, name + ".py"), "w") as f:
        f.write(source)
    with open(os.path.join(out_dir, name + ".ticks.jsonl"), "w") as f:
        f.writelines(json.dumps(t) + "\n" for t in ticks)
    with open(os.path.join(out_dir, name + ".txt"), "w") as f:
        f.write(f"{failure[0]}: {failure[1]}\n{failure[2] if len(failure) > 2 else ''}\n\n"
                f"reproduce:\n  {cfuncc} compile {name}.py {source.partition(chr(10))[0][len('# cfuncc:'):].strip()}"
                f" -o {name}.so\n  {cfuncc} run {name}.so < {name}.ticks.jsonl\n"
                f"  python3 tests/differential/oracle.py {name}.py < {name}.ticks.jsonl\n")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cfuncc", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--seconds", type=float, default=0, help="time budget (0: none)")
    p.add_argument("--count", type=int, default=0, help="program budget (0: none)")
    p.add_argument("--out", default=os.path.join(fuzzlib.ROOT, "target", "fuzz", "diff"))
    p.add_argument("--exclude", default=",".join(DEFAULT_EXCLUDE),
                   help="features not to generate: known defects (dict-aug, call-receiver) and "
                        "containers, temporal, masks, match, input-assign (default: %(default)s)")
    p.add_argument("--include-known", action="store_true", help="generate the known-defect forms too")
    p.add_argument("--shrink-seconds", type=float, default=90)
    p.add_argument("--max-shrink", type=int, default=5, help="shrink at most this many findings")
    p.add_argument("--start", type=int, default=0, help="first program index")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    if not args.seconds and not args.count:
        p.error("give --seconds and/or --count")
    exclude = set() if args.include_known else {e for e in args.exclude.split(",") if e}
    cfuncc = os.path.abspath(args.cfuncc)
    deadline = fuzzlib.Deadline(args.seconds)
    counts = dict(programs=0, ticks=0, crashes=0, mismatches=0, rejected=0, skipped=0)
    failures = []
    shrunk = 0
    with tempfile.TemporaryDirectory(prefix="difffuzz-") as work:
        runner = Runner(cfuncc, work)
        i = args.start
        while not deadline.passed() and not (args.count and counts["programs"] >= args.count):
            drawn = draw(args.seed, i, exclude)
            i += 1
            if drawn is None:
                counts["skipped"] += 1
                continue
            name, source, ticks, _ = drawn
            counts["programs"] += 1
            res = runner.check(name, source, ticks)
            if args.verbose:
                print(name, res[0], res[1] if res[0] != "ok" else "", file=sys.stderr)
            if res[0] == "ok":
                counts["ticks"] += res[1]
                continue
            if res[0] in ("rejected", "skip"):
                counts["rejected" if res[0] == "rejected" else "skipped"] += 1
                if res[0] == "rejected":
                    save(os.path.join(args.out, "rejected"), name, source, ticks, (res[0], res[1]), cfuncc)
                continue
            counts["crashes" if res[0] == "crash" else "mismatches"] += 1
            if res[0] == "mismatch":
                counts["ticks"] += res[1]
            if shrunk < args.max_shrink:
                shrunk += 1
                source, ticks = shrink(runner, name, source, ticks, res, args.shrink_seconds)
                final = runner.check(name, source, ticks)
                if same_failure(final, res):
                    res = final  # the shrunk node's own failure detail
            save(args.out, name, source, ticks, res, cfuncc)
            failures.append(f"{name}: {res[0]}: {res[1]}{': ' + str(res[2])[:300] if res[0] == 'mismatch' else ''}")
            print(f"FAIL {failures[-1]} -> {os.path.join(args.out, name)}.py", flush=True)
    print(f"difffuzz seed {args.seed}: {counts['programs']} programs generated, {counts['ticks']} ticks compared, "
          f"{counts['crashes']} crashes, {counts['mismatches']} mismatches, {counts['rejected']} rejected by "
          f"the compiler, {counts['skipped']} skipped (next index {i})")
    failed = counts["crashes"] + counts["mismatches"]
    print(f"{counts['programs'] - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
