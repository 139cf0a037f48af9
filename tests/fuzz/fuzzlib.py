"""Shared pieces of cfuncc's fuzzers (tests/fuzz/*.py): running a tool with
a timeout, classifying its exit, the known open defects and shrinking a
Python node with `ast`. Plain Python 3.11, no packages."""

import ast
import copy
import os
import signal
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Known open compiler defects. The fuzzers avoid the forms listed here
# unless told to look for them (`--include-known`): difffuzz does not
# generate them, mutfuzz and lifefuzz classify a crash that matches one as
# `known` (counted and listed, not a failure). Each entry: name ->
# (description, stderr regex or None). Every defect the fuzzers found so far
# is fixed (docs/fuzzing.md lists them with their regression tests), so the
# list is empty; add an entry only for a defect that stays open.
KNOWN_DEFECTS = {}


def run(cmd, stdin=None, timeout=60, cwd=None):
    """(exit code or -signal, stdout, stderr); exit None on a timeout."""
    env = dict(os.environ, RUST_BACKTRACE="0")
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout, cwd=cwd, env=env,
                           text=True, errors="replace")
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return None, out, "timeout"


def is_failure(code):
    """A tool's exit that is a bug: a signal, a panic (101), an internal
    error (3) or a timeout. 0, 1 (a located error) and 2 (usage) are fine."""
    return code is None or code < 0 or code in (3, 101) or code > 128


def describe(code):
    if code is None:
        return "timeout"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return {101: "panic (exit 101)", 3: "internal error (exit 3)"}.get(code, f"exit {code}")


def signature(code, stderr):
    """A short key of a failure: how it exited and the first telling stderr line."""
    first = ""
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("thread '") and "panicked at" in line:
            continue
        if line and not line.startswith(("note:", "stack backtrace", "at ", "0:", "1:")):
            first = line
            break
    import re
    # numbers (sizes, addresses, thread ids, locations) vary between runs
    return f"{describe(code)}: {re.sub(r'[0-9]+', 'N', first)[:160]}"


def known_defect(stderr, include_known=False):
    """The KNOWN_DEFECTS name whose stderr pattern matches, or None."""
    import re
    if include_known:
        return None
    for name, (_, pattern) in KNOWN_DEFECTS.items():
        if pattern and re.search(pattern, stderr):
            return name
    return None


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds if seconds else None

    def passed(self):
        return self.end is not None and time.monotonic() >= self.end

    def left(self):
        return None if self.end is None else max(0.0, self.end - time.monotonic())


# ------------------------------------------------------------------ shrinking


def _children(node):
    """(field, index or None, child) for every AST child of node."""
    for field, value in ast.iter_fields(node):
        if isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, ast.AST):
                    yield field, i, v
        elif isinstance(value, ast.AST):
            yield field, None, value


def _locate(tree, index):
    """(parent, field, i, node) of the index-th node in walk order."""
    n = 0
    stack = [(None, None, None, tree)]
    while stack:
        parent, field, i, node = stack.pop(0)
        if n == index:
            return parent, field, i, node
        n += 1
        stack.extend((node, f, j, c) for f, j, c in _children(node))
    return None


def _walk(tree):
    """Nodes in the order _locate counts them (breadth first)."""
    out, queue = [], [(None, None, tree)]
    while queue:
        parent, field, node = queue.pop(0)
        out.append((parent, field, node))
        queue.extend((node, f, c) for f, _, c in _children(node))
    return out


SKIP_FIELDS = {"func", "annotation", "returns", "args", "decorator_list", "type_comment"}


def candidates(source):
    """Smaller variants of the module `source`, biggest cuts first: each
    statement removed, then each expression replaced by one of its
    sub-expressions or a literal."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    nodes = _walk(tree)
    # statements, last first (later statements depend on earlier ones)
    for index in reversed(range(len(nodes))):
        parent, field, node = nodes[index]
        if isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom)):
            t = copy.deepcopy(tree)
            p, f, i, _ = _locate(t, index)
            body = getattr(p, f)
            del body[i]
            if not body and f in ("body", "finalbody") or (f == "cases" and not body):
                if f == "cases":
                    continue
                body.append(ast.Pass())
            yield _unparse(t)
            # a compound statement: keep its body in its place
            if isinstance(node, (ast.If, ast.For, ast.While, ast.With)):
                t = copy.deepcopy(tree)
                p, f, i, n = _locate(t, index)
                getattr(p, f)[i:i + 1] = n.body
                yield _unparse(t)
    for index in range(len(nodes)):
        parent, field, node = nodes[index]
        if not isinstance(node, ast.expr) or field in SKIP_FIELDS:
            continue
        if isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del)) or isinstance(parent, ast.keyword):
            continue
        if isinstance(parent, (ast.arguments, ast.arg, ast.match_case)) or isinstance(parent, ast.pattern):
            continue
        if isinstance(node, ast.Constant) and node.value in (0, 0.0, True, False):
            continue
        repl = [c for _, _, c in _children(node) if isinstance(c, ast.expr)
                and not isinstance(getattr(c, "ctx", None), ast.Store)]
        if isinstance(node, ast.Call):
            repl = list(node.args)
        repl += [ast.Constant(0), ast.Constant(1), ast.Constant(0.0), ast.Constant(True)]
        for r in repl:
            t = copy.deepcopy(tree)
            p, f, i, _ = _locate(t, index)
            if i is None:
                setattr(p, f, copy.deepcopy(r))
            else:
                getattr(p, f)[i] = copy.deepcopy(r)
            yield _unparse(t)


def _unparse(tree):
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"


def shrink_source(source, still_fails, deadline):
    """Greedy: apply the first candidate that still fails, until none does
    or the deadline passes. Returns the smallest failing source."""
    best = source
    progress = True
    while progress and not deadline.passed():
        progress = False
        for cand in candidates(best):
            if deadline.passed():
                break
            if len(cand) >= len(best) and cand.count("\n") >= best.count("\n"):
                continue
            if still_fails(cand):
                best = cand
                progress = True
                break
    return best
