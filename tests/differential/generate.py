#!/usr/bin/env python3
"""Generate random nodes for cfuncc's differential tests.

    python3 generate.py --seed S --count N [--containers M] --out DIR

Writes N scalar programs `DIR/gen_S_III.py` (with the `# cfuncc:` header)
and their `DIR/gen_S_III.ticks.jsonl`, then M container programs
`DIR/genc_S_III.py` (ContainerProgram: lists and dicts as state, locals and
constants, used inside loops and branches). The output depends only on S, N
and M, and the scalar programs do not depend on M.

Programs come from a small typed grammar: int/float/bool inputs and locals,
an optional int constant and scalar state, arithmetic, comparisons (some
chained), and/or/not, ternaries, abs/min/max/round/int/float, a few math
functions, if/elif/else, bounded `for ... in range(...)` (negative steps
too, with break/continue/else), bounded while loops, augmented assignment,
early returns, one output or named outputs (tuple or set_output).

Every variable keeps one type, a variable assigned inside a block is only
used inside it, and divisors are nonzero by construction (`abs(e) % 7 + 1`).
Each program is run through oracle.py; one whose oracle output holds an
oracle_error (an int64 overflow, a non-finite float, ...), that never ticks,
that prints the same line on every tick or (container programs) that faults
on more than a third of its ticks is thrown away and drawn again.
"""

import argparse
import json
import os
import random
import sys

sys.dont_write_bytecode = True  # keep tests/differential free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

FLOAT_LITERALS = [0.5, 1.5, -2.25, 3.0, 0.1, -0.75, 10.0, 2.0, -1.0, 0.125]
TYPES = ["int", "float", "bool"]


class Program:
    """One random node, built statement by statement."""

    def __init__(self, rng, name):
        self.rng = rng
        self.name = name
        self.lines = []
        self.scopes = [{}]  # innermost last: name -> type
        self.counter = 0
        self.loop_depth = 0
        self.inputs = []  # [(name, type)]
        self.state = []  # [(name, type, literal)]
        self.const = None  # (name, value, in_header)
        self.outputs = []  # [(name, type)]; one unnamed output when not self.named
        self.named = False
        self.use_set_output = False
        # value types of inputs, outputs, locals and scalar state (a
        # subclass may add more; container elements keep TYPES)
        self.types = TYPES

    # ------------------------------------------------------------ scopes

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def visible(self, t, assignable=False):
        names = []
        for scope in self.scopes:
            for name, (ty, kind) in scope.items():
                if ty == t and (not assignable or kind in ("local", "state")):
                    names.append(name)
        return names

    def declare(self, name, t, kind="local"):
        self.scopes[-1][name] = (t, kind)

    def emit(self, indent, text):
        self.lines.append("    " * indent + text)

    # ------------------------------------------------------------ expressions

    def expr(self, t, d):
        return {"int": self.int_expr, "float": self.float_expr, "bool": self.bool_expr}[t](d)

    def divisor_int(self, d):
        e = self.int_expr(d - 1)
        return f"-(abs({e}) % 7 + 1)" if self.rng.random() < 0.3 else f"(abs({e}) % 7 + 1)"

    def divisor_float(self, d):
        e = self.float_expr(d - 1)
        return f"-(abs({e}) + 0.5)" if self.rng.random() < 0.3 else f"(abs({e}) + 0.5)"

    def int_leaf(self):
        names = self.visible("int")
        if names and self.rng.random() < 0.7:
            return self.rng.choice(names)
        return str(self.rng.randint(-9, 9))

    def float_leaf(self):
        names = self.visible("float")
        if names and self.rng.random() < 0.7:
            return self.rng.choice(names)
        return repr(self.rng.choice(FLOAT_LITERALS))

    def int_expr(self, d):
        r = self.rng
        if d <= 0 or r.random() < 0.3:
            return self.int_leaf()
        a = lambda: self.int_expr(d - 1)  # noqa: E731
        choice = r.randrange(14)
        if choice == 0:
            return f"({a()} {r.choice(['+', '-', '*'])} {a()})"
        if choice == 1:
            return f"({a()} {r.choice(['//', '%'])} {self.divisor_int(d)})"
        if choice == 2:
            return f"abs({a()})"
        if choice == 3:
            return f"{r.choice(['min', 'max'])}({a()}, {a()})"
        if choice == 4:
            return f"({a()} if {self.bool_expr(d - 1)} else {a()})"
        if choice == 5:
            return f"int({self.float_expr(d - 1)})"
        if choice == 6:
            return f"round({self.float_expr(d - 1)})"
        if choice == 7:
            return f"({a()} {r.choice(['&', '|', '^'])} {a()})"
        if choice == 8:
            return f"({a()} {r.choice(['<<', '>>'])} {r.randint(0, 4)})"
        if choice == 9:
            return f"{r.choice(['-', '~'])}{a()}"
        if choice == 10:
            return f"({a()} {r.choice(['and', 'or'])} {a()})"
        if choice == 11:
            return f"math.{r.choice(['floor', 'ceil'])}({self.float_expr(d - 1)})"
        if choice == 12:
            return f"({a()} ** {r.randint(0, 3)})"
        return f"({a()} + {a()} - {a()})"

    def float_expr(self, d):
        r = self.rng
        if d <= 0 or r.random() < 0.3:
            return self.float_leaf()
        a = lambda: self.float_expr(d - 1)  # noqa: E731
        choice = r.randrange(12)
        if choice == 0:
            return f"({a()} {r.choice(['+', '-', '*'])} {a()})"
        if choice == 1:
            return f"({a()} {r.choice(['+', '-', '*'])} {self.int_expr(d - 1)})"
        if choice == 2:
            return f"({a()} {r.choice(['/', '//', '%'])} {self.divisor_float(d)})"
        if choice == 3:
            return f"({self.int_expr(d - 1)} / (abs({self.int_expr(d - 1)}) + 1))"
        if choice == 4:
            return f"abs({a()})"
        if choice == 5:
            return f"{r.choice(['min', 'max'])}({a()}, {a()})"
        if choice == 6:
            return f"({a()} if {self.bool_expr(d - 1)} else {a()})"
        if choice == 7:
            return f"float({self.int_expr(d - 1)})"
        if choice == 8:
            return f"math.sqrt(abs({a()}))"
        if choice == 9:
            return f"math.{r.choice(['sin', 'cos', 'atan'])}({a()})"
        if choice == 10:
            return f"round({a()}, {r.randint(0, 2)})"
        return f"-{a()}"

    def bool_expr(self, d):
        r = self.rng
        names = self.visible("bool")
        if d <= 0 or r.random() < 0.2:
            if names and r.random() < 0.6:
                return r.choice(names)
            if self.inputs and r.random() < 0.3:
                return f"{r.choice(['ticked', 'valid'])}({r.choice(self.inputs)[0]})"
            return r.choice(["True", "False"])
        choice = r.randrange(6)
        num = lambda: self.expr(r.choice(["int", "float"]), d - 1)  # noqa: E731
        ops = ["<", "<=", ">", ">=", "==", "!="]
        if choice <= 1:
            return f"({num()} {r.choice(ops)} {num()})"
        if choice == 2:
            return f"({num()} {r.choice(ops[:4])} {num()} {r.choice(ops)} {num()})"
        if choice == 3:
            return f"({self.bool_expr(d - 1)} {r.choice(['and', 'or'])} {self.bool_expr(d - 1)})"
        if choice == 4:
            return f"(not {self.bool_expr(d - 1)})"
        return f"({self.int_expr(d - 1)} % 2 == 0)"

    # ------------------------------------------------------------ statements

    def block(self, indent, n, depth):
        self.scopes.append({})
        start = len(self.lines)
        for _ in range(n):
            self.statement(indent, depth)
        if len(self.lines) == start:
            self.emit(indent, "pass")
        self.scopes.pop()

    def statement(self, indent, depth):
        r = self.rng
        kinds = ["assign", "assign", "reassign", "aug", "aug"]
        if depth < 2:
            kinds += ["if", "for", "while"]
        if self.loop_depth:
            kinds += ["jump"]
        if depth > 0:
            kinds += ["return"]
        if self.use_set_output and depth > 0:
            kinds += ["set_output"]
        kind = r.choice(kinds)
        if kind == "assign":
            t = r.choice(self.types)
            name = self.fresh("v")
            self.emit(indent, f"{name} = {self.expr(t, 3)}")
            self.declare(name, t)
        elif kind == "reassign":
            t = r.choice(self.types)
            names = self.visible(t, assignable=True)
            if names:
                self.emit(indent, f"{r.choice(names)} = {self.expr(t, 3)}")
        elif kind == "aug":
            self.aug(indent)
        elif kind == "if":
            self.emit(indent, f"if {self.bool_expr(2)}:")
            self.block(indent + 1, r.randint(1, 3), depth + 1)
            for _ in range(r.randint(0, 2)):
                self.emit(indent, f"elif {self.bool_expr(2)}:")
                self.block(indent + 1, r.randint(1, 2), depth + 1)
            if r.random() < 0.5:
                self.emit(indent, "else:")
                self.block(indent + 1, r.randint(1, 2), depth + 1)
        elif kind == "for":
            self.for_loop(indent, depth)
        elif kind == "while":
            w = self.fresh("w")
            self.emit(indent, f"{w} = 0")
            self.emit(indent, f"while {w} < {r.randint(1, 6)}:")
            self.emit(indent + 1, f"{w} += 1")
            self.loop_depth += 1
            self.block(indent + 1, r.randint(1, 3), depth + 1)
            self.loop_depth -= 1
        elif kind == "jump":
            self.emit(indent, f"if {self.bool_expr(2)}:")
            self.emit(indent + 1, r.choice(["break", "continue"]))
        elif kind == "return":
            self.emit(indent, f"if {self.bool_expr(2)}:")
            self.emit(indent + 1, self.return_stmt())
        elif kind == "set_output":
            name, t = r.choice(self.outputs)
            self.emit(indent, f'set_output("{name}", {self.expr(t, 2)})')

    def for_loop(self, indent, depth):
        r = self.rng
        i = self.fresh("i")
        form = r.randrange(4)
        if form == 0:
            rng = f"range({r.randint(0, 6)})"
        elif form == 1:
            rng = f"range(abs({self.int_expr(1)}) % 6)"
        elif form == 2:
            lo = r.randint(-5, 5)
            rng = f"range({lo}, {lo + r.randint(-2, 8)}, {r.choice([1, 2, 3])})"
        else:
            hi = r.randint(-3, 6)
            rng = f"range({hi}, {hi - r.randint(-2, 8)}, {r.choice([-1, -2, -3])})"
        self.emit(indent, f"for {i} in {rng}:")
        self.loop_depth += 1
        self.scopes.append({})
        self.declare(i, "int", "loop")
        self.block(indent + 1, r.randint(1, 3), depth + 1)
        self.scopes.pop()
        self.loop_depth -= 1
        if r.random() < 0.2:
            self.emit(indent, "else:")
            self.block(indent + 1, 1, depth + 1)

    def aug(self, indent):
        r = self.rng
        t = r.choice(["int", "int", "float"])
        names = self.visible(t, assignable=True)
        if not names:
            return
        name = r.choice(names)
        if t == "int":
            op = r.choice(["+=", "-=", "*=", "//=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**="])
            if op in ("//=", "%="):
                rhs = self.divisor_int(2)
            elif op == "*=":
                rhs = str(r.randint(-3, 3))
            elif op in ("<<=", ">>="):
                rhs = str(r.randint(0, 3))
            elif op == "**=":
                rhs = str(r.randint(0, 2))
            else:
                rhs = self.int_expr(2)
        else:
            op = r.choice(["+=", "-=", "*=", "/=", "//=", "%=", "**="])
            if op in ("/=", "//=", "%="):
                rhs = self.divisor_float(2)
            elif op == "**=":
                rhs = r.choice(["2", "0.5", "-1"])
                if rhs != "2":
                    # keep the base positive and nonzero for fractional/negative powers
                    self.emit(indent, f"{name} = abs({name}) + 0.25")
            else:
                rhs = self.expr(r.choice(["int", "float"]), 2)
        self.emit(indent, f"{name} {op} {rhs}")

    def return_stmt(self):
        r = self.rng
        if not self.named:
            if r.random() < 0.15:
                return "return None"
            return f"return {self.expr(self.outputs[0][1], 3)}"
        if self.use_set_output and r.random() < 0.5:
            return "return None"
        parts = [self.expr(t, 2) if r.random() < 0.75 else "None" for _, t in self.outputs]
        return f"return {', '.join(parts)}"

    # ------------------------------------------------------------ whole node

    def state_literal(self, t):
        r = self.rng
        return {"int": str(r.randint(-3, 3)), "float": repr(r.choice(FLOAT_LITERALS)),
                "bool": r.choice(["True", "False"])}[t]

    def build(self):
        r = self.rng
        for k in range(r.randint(1, 3)):
            self.inputs.append((f"x{k}", r.choice(self.types)))
        params = [f"{n}: Signal[{t}]" for n, t in self.inputs]
        for n, t in self.inputs:
            self.declare(n, t, "input")
        if r.random() < 0.5:
            value = r.randint(-5, 5)
            in_header = r.random() < 0.6
            self.const = ("k", value, in_header)
            params.append("k: int" if in_header else f"k: int = {value}")
            self.declare("k", "int", "const")
        if r.random() < 0.3:
            self.named = True
            self.outputs = [(f"o{j}", r.choice(self.types)) for j in range(r.randint(2, 3))]
            self.use_set_output = r.random() < 0.4
            ret = "Outputs(" + ", ".join(f"{n}={t}" for n, t in self.outputs) + ")"
        else:
            self.outputs = [("output_0", r.choice(self.types))]
            ret = f"Signal[{self.outputs[0][1]}]"

        self.lines.append("import math")
        self.lines.append("")
        self.lines.append("")
        self.lines.append(f"def {self.name}({', '.join(params)}) -> {ret}:")
        for _ in range(r.randint(0, 3)):
            t = r.choice(self.types)
            name = self.fresh("s")
            lit = self.state_literal(t)
            self.emit(1, f"{name}: State[{t}] = {lit}")
            self.declare(name, t, "state")
            self.state.append((name, t, lit))
        for _ in range(r.randint(2, 7)):
            self.statement(1, 0)
        if self.use_set_output:
            name, t = r.choice(self.outputs)
            self.emit(1, f'set_output("{name}", {self.expr(t, 2)})')
        self.emit(1, self.return_stmt())

        header = f"# cfuncc: --function {self.name}"
        if self.const and self.const[2]:
            header += f" --const k={self.const[1]}"
        return header + "\n" + "\n".join(self.lines) + "\n"

    def ticks(self):
        r = self.rng
        out = []
        for _ in range(r.randint(5, 20)):
            if self.state and out and r.random() < 0.08:
                out.append({"phase": "stop"})
                out.append({"phase": "start"})
            values = []
            for _, t in self.inputs:
                if t == "int":
                    values.append(r.randint(-9, 9) if r.random() < 0.8 else r.randint(-1000, 1000))
                elif t == "float":
                    values.append(r.choice(FLOAT_LITERALS + [0.0, -0.0]) if r.random() < 0.5
                                  else round(r.uniform(-10.0, 10.0), 3))
                else:
                    values.append(r.random() < 0.5)
            tick = {"inputs": values}
            if r.random() < 0.2:
                tick["ticked"] = [r.random() < 0.7 for _ in values]
            if r.random() < 0.1:
                tick["valid"] = [r.random() < 0.8 for _ in values]
            out.append(tick)
        return out


class ContainerProgram(Program):
    """A random node that also uses lists and dicts: container state, local
    and constant containers, reads inside expressions (guarded indexing,
    len/sum/min/max, get, membership, slices), mutations and loops over
    containers inside branches and loops.

    Indexing is guarded (`xs[e % len(xs)] if len(xs) > 0 else d`) except for
    a few deliberate unguarded reads, pops and deletes, whose faults are
    compared with CPython's. A container is never resized, nor a dict's key
    set changed, inside a loop over it. State lists are trimmed so that they
    stay short.
    """

    def __init__(self, rng, name):
        super().__init__(rng, name)
        self.lists = {}  # name -> (elem type, readonly)
        self.dicts = {}  # name -> (key type, value type, readonly)
        self.iterating = set()  # containers a loop is iterating over
        self.const_header = []  # --const arguments
        self.container_state = False
        self.leaf_depth = 0

    # ------------------------------------------------------------ pick

    def pick_list(self, t=None, mutable=False, resizable=False):
        names = [n for n, (et, ro) in self.lists.items()
                 if (t is None or et == t) and not (mutable and ro)
                 and not (resizable and n in self.iterating)]
        return self.rng.choice(names) if names else None

    def pick_dict(self, vt=None, kt=None, mutable=False, resizable=False):
        names = [n for n, (k, v, ro) in self.dicts.items()
                 if (vt is None or v == vt) and (kt is None or k == kt) and not (mutable and ro)
                 and not (resizable and n in self.iterating)]
        return self.rng.choice(names) if names else None

    def key_expr(self, name, d):
        kt = self.dicts[name][0]
        if kt == "bool":
            return self.bool_expr(max(d, 0))
        if kt == "float":
            # few distinct keys, -0.0 among them (the same key as 0.0)
            sign = self.rng.choice(["", "-"])
            return f"{sign}(float({self.int_expr(max(d, 0))} % {self.rng.choice([3, 5])}) * 0.5)"
        return f"({self.int_expr(max(d, 0))} % {self.rng.choice([3, 5, 8])} - {self.rng.choice([0, 1, 2])})"

    def default(self, t):
        return {"int": str(self.rng.randint(-3, 3)), "float": repr(self.rng.choice(FLOAT_LITERALS)),
                "bool": self.rng.choice(["True", "False"])}[t]

    def guarded_item(self, name, t, d):
        i = self.int_expr(max(d - 1, 0))
        idx = f"({i}) % len({name})" if self.rng.random() < 0.6 else f"-1 - ({i}) % len({name})"
        return f"({name}[{idx}] if len({name}) > 0 else {self.default(t)})"

    def slice_of(self, name):
        r = self.rng
        a, b = r.randint(-4, 4), r.randint(-4, 6)
        form = r.randrange(5)
        if form == 0:
            return f"{name}[{a}:{b}]"
        if form == 1:
            return f"{name}[::-1]"
        if form == 2:
            return f"{name}[{b}:{a}:{r.choice([-1, -2])}]"
        if form == 3:
            return f"{name}[0:len({name}):{r.choice([2, 3])}]"
        return f"{name}[{a}:len({name})]"

    # ------------------------------------------------------------ expressions

    def container_leaf(self, t, d):
        """A container read of type t, or None."""
        r = self.rng
        options = []
        ln = self.pick_list(t)
        if ln:
            options.append(lambda: self.guarded_item(ln, t, d))
            if t in ("int", "float"):
                options.append(lambda: f"sum({ln})")
                options.append(lambda: f"({r.choice(['min', 'max'])}({ln}) if len({ln}) > 0 else {self.default(t)})")
        dn = self.pick_dict(vt=t)
        if dn:
            options.append(lambda: f"{dn}.get({self.key_expr(dn, d - 1)}, {self.default(t)})")
        if t == "int":
            any_l = self.pick_list()
            any_d = self.pick_dict()
            if any_l:
                options.append(lambda: f"len({any_l})")
                options.append(lambda: f"len({self.slice_of(any_l)})")
            if any_d:
                options.append(lambda: f"len({any_d})")
            il = self.pick_list("int")
            if il:
                options.append(lambda: f"sum({self.slice_of(il)})")
            bl = self.pick_list("bool")
            if bl:
                options.append(lambda: f"sum({bl})")
        if t == "bool":
            for et in TYPES:
                ln2 = self.pick_list(et)
                if ln2:
                    op = r.choice(["in", "not in"])
                    options.append(lambda ln2=ln2, et=et, op=op: f"({self.expr(et, d - 1)} {op} {ln2})")
            dn2 = self.pick_dict()
            if dn2:
                op = r.choice(["in", "not in"])
                options.append(lambda: f"({self.key_expr(dn2, d - 1)} {op} {dn2})")
                vt = self.dicts[dn2][1]
                options.append(lambda: f"({self.expr(vt, d - 1)} in {dn2}.values())")
            any_l = self.pick_list()
            if any_l:
                options.append(lambda: f"(not {any_l})")
        if not options:
            return None
        return r.choice(options)()

    def nested_leaf(self, t, d, p):
        """A container read with probability p, not nested more than twice."""
        if self.leaf_depth >= 2 or self.rng.random() >= p:
            return None
        self.leaf_depth += 1
        try:
            return self.container_leaf(t, d)
        finally:
            self.leaf_depth -= 1

    def int_leaf(self):
        return self.nested_leaf("int", 1, 0.35) or super().int_leaf()

    def float_leaf(self):
        return self.nested_leaf("float", 1, 0.35) or super().float_leaf()

    def bool_expr(self, d):
        return self.nested_leaf("bool", d, 0.25) or super().bool_expr(d)

    # ------------------------------------------------------------ statements

    def statement(self, indent, depth):
        if self.rng.random() < 0.5 and self.container_statement(indent, depth):
            return
        super().statement(indent, depth)

    def value(self, t):
        if t == "int" and self.rng.random() < 0.5:
            return f"({self.int_expr(2)}) % {self.rng.choice([10, 50, 100])}"
        return self.expr(t, 2)

    def container_statement(self, indent, depth):
        """Emit one container statement; False if none fits."""
        r = self.rng
        kinds = ["append", "append", "setitem", "dict_set", "dict_set", "dict_update", "dict_pop",
                 "list_pop", "insert", "sort", "extend", "trim", "faulty"]
        if depth < 2:
            kinds += ["for_list", "for_dict", "for_dict"]
        if r.random() < 0.05:
            kinds.append("clear")
        kind = r.choice(kinds)
        if kind == "append":
            ln = self.pick_list(mutable=True, resizable=True)
            if not ln:
                return False
            self.emit(indent, f"{ln}.append({self.value(self.lists[ln][0])})")
            self.trim(indent, ln)
        elif kind == "insert":
            ln = self.pick_list(mutable=True, resizable=True)
            if not ln:
                return False
            self.emit(indent, f"{ln}.insert({self.int_expr(1)}, {self.value(self.lists[ln][0])})")
            self.trim(indent, ln)
        elif kind == "extend":
            ln = self.pick_list(mutable=True, resizable=True)
            if not ln:
                return False
            t = self.lists[ln][0]
            other = self.pick_list(t)
            src = self.slice_of(other) if other and r.random() < 0.5 else (other or ln)
            self.emit(indent, f"{ln}.extend({src})")
            self.trim(indent, ln, force=True)
        elif kind == "trim":
            ln = self.pick_list(mutable=True, resizable=True)
            if not ln:
                return False
            self.trim(indent, ln, force=True)
        elif kind == "setitem":
            ln = self.pick_list(mutable=True)
            if not ln:
                return False
            t = self.lists[ln][0]
            self.emit(indent, f"if len({ln}) > 0:")
            idx = f"({self.int_expr(1)}) % len({ln})"
            if t != "bool" and r.random() < 0.5:
                op = "+=" if t == "int" else r.choice(["+=", "-=", "*="])
                rhs = f"({self.int_expr(1)}) % 10" if t == "int" else self.float_expr(1)
                self.emit(indent + 1, f"{ln}[{idx}] {op} {rhs}")
            else:
                self.emit(indent + 1, f"{ln}[{idx}] = {self.value(t)}")
        elif kind == "list_pop":
            ln = self.pick_list(mutable=True, resizable=True)
            if not ln:
                return False
            t = self.lists[ln][0]
            v = self.fresh("p")
            self.emit(indent, f"if len({ln}) > {r.choice([0, 1, 2])}:")
            form = r.randrange(4)
            if form == 0:
                self.emit(indent + 1, f"{v} = {ln}.pop()")
            elif form == 1:
                self.emit(indent + 1, f"{v} = {ln}.pop(({self.int_expr(1)}) % len({ln}))")
            elif form == 2:
                self.emit(indent + 1, f"{v} = {ln}.pop(-1)")
            else:
                self.emit(indent + 1, f"{v} = {ln}[0]")
                self.emit(indent + 1, f"del {ln}[0]")
            self.scopes.append({})
            self.declare(v, t)
            self.statement(indent + 1, depth + 1)
            self.scopes.pop()
        elif kind == "sort":
            ln = self.pick_list(mutable=True, resizable=True)
            if not ln or self.lists[ln][0] == "float":
                return False
            self.emit(indent, f"{ln}.sort()")
        elif kind == "clear":
            name = self.pick_list(mutable=True, resizable=True) or self.pick_dict(mutable=True, resizable=True)
            if not name:
                return False
            self.emit(indent, f"if {self.bool_expr(1)}:")
            self.emit(indent + 1, f"{name}.clear()")
        elif kind == "dict_set":
            dn = self.pick_dict(mutable=True, resizable=True)
            if not dn:
                return False
            self.emit(indent, f"{dn}[{self.key_expr(dn, 1)}] = {self.value(self.dicts[dn][1])}")
        elif kind == "dict_update":
            # change the value of a key that may be there: no key-set change
            dn = self.pick_dict(mutable=True)
            if not dn:
                return False
            kt, vt, _ = self.dicts[dn]
            k = self.fresh("k")
            self.emit(indent, f"{k} = {self.key_expr(dn, 1)}")
            self.declare(k, kt)
            self.emit(indent, f"if {k} in {dn}:")
            if vt == "bool":
                self.emit(indent + 1, f"{dn}[{k}] = not {dn}[{k}]")
            elif vt == "int":
                self.emit(indent + 1, f"{dn}[{k}] += ({self.int_expr(1)}) % 10")
            else:
                self.emit(indent + 1, f"{dn}[{k}] {r.choice(['+=', '-=', '*='])} {self.float_expr(1)}")
            if dn not in self.iterating:
                self.emit(indent, "else:")
                self.emit(indent + 1, f"{dn}[{k}] = {self.value(vt)}")
        elif kind == "dict_pop":
            dn = self.pick_dict(mutable=True, resizable=True)
            if not dn:
                return False
            vt = self.dicts[dn][1]
            form = r.randrange(3)
            key = self.key_expr(dn, 1)
            if form == 0:
                v = self.fresh("q")
                self.emit(indent, f"{v} = {dn}.pop({key}, {self.default(vt)})")
                self.declare(v, vt)
            else:
                k = self.fresh("k")
                self.emit(indent, f"{k} = {key}")
                self.declare(k, self.dicts[dn][0])
                self.emit(indent, f"if {k} in {dn}:")
                self.emit(indent + 1, f"del {dn}[{k}]" if form == 1 else f"{dn}.pop({k})")
        elif kind == "faulty":
            # an unguarded read that may fault; the fault is compared
            v = self.fresh("f")
            ln, dn = self.pick_list(), self.pick_dict()
            if ln and (not dn or r.random() < 0.5):
                t = self.lists[ln][0]
                self.emit(indent, f"{v} = {ln}[{self.int_expr(1)} % 7 - 3]")
            elif dn:
                t = self.dicts[dn][1]
                self.emit(indent, f"{v} = {dn}[{self.key_expr(dn, 1)}]")
            else:
                return False
            self.declare(v, t)
        elif kind == "for_list":
            ln = self.pick_list()
            if not ln:
                return False
            t = self.lists[ln][0]
            v = self.fresh("e")
            it = self.slice_of(ln) if r.random() < 0.3 else ln
            self.emit(indent, f"for {v} in {it}:")
            self.loop_body(indent, depth, [(v, t)], ln)
        elif kind == "for_dict":
            dn = self.pick_dict()
            if not dn:
                return False
            kt, vt, _ = self.dicts[dn]
            form = r.randrange(4)
            if form == 3:
                k, v = self.fresh("k"), self.fresh("e")
                self.emit(indent, f"for {k}, {v} in {dn}.items():")
                names = [(k, kt), (v, vt)]
            elif form == 2:
                v = self.fresh("e")
                self.emit(indent, f"for {v} in {dn}.values():")
                names = [(v, vt)]
            else:
                k = self.fresh("k")
                self.emit(indent, f"for {k} in {dn}{'.keys()' if form == 1 else ''}:")
                names = [(k, kt)]
            self.loop_body(indent, depth, names, dn)
        return True

    def loop_body(self, indent, depth, names, container):
        was = container in self.iterating
        self.iterating.add(container)
        self.loop_depth += 1
        self.scopes.append({})
        for n, t in names:
            self.declare(n, t, "loop")
        self.block(indent + 1, self.rng.randint(1, 3), depth + 1)
        self.scopes.pop()
        self.loop_depth -= 1
        if not was:
            self.iterating.discard(container)

    def trim(self, indent, ln, force=False):
        """Keep a list short: drop from the front or the back past a bound."""
        if not force and self.rng.random() < 0.3:
            return
        self.emit(indent, f"while len({ln}) > {self.rng.randint(3, 8)}:")
        self.emit(indent + 1, self.rng.choice([f"{ln}.pop(0)", f"{ln}.pop()", f"del {ln}[0]", f"{ln}.pop(-1)"]))

    # ------------------------------------------------------------ whole node

    def build(self):
        r = self.rng
        for k in range(r.randint(1, 3)):
            self.inputs.append((f"x{k}", r.choice(self.types)))
        params = [f"{n}: Signal[{t}]" for n, t in self.inputs]
        for n, t in self.inputs:
            self.declare(n, t, "input")
        in_header = r.random() < 0.5  # else defaults (which must come last)
        if r.random() < 0.4:
            t = r.choice(TYPES)
            values = [self.literal(t) for _ in range(r.randint(1, 5))]
            text = "[" + ", ".join(values) + "]"
            if in_header:
                self.const_header.append(f"--const 'w={text}'")
                params.append(f"w: NumbaList[{t}]")
            else:
                params.append(f"w: NumbaList[{t}] = {text}")
            self.lists["w"] = (t, True)
        if r.random() < 0.3:
            vt = r.choice(TYPES)
            items = {r.randint(-3, 6): self.literal(vt) for _ in range(r.randint(1, 4))}
            text = "{" + ", ".join(f"{k}: {v}" for k, v in items.items()) + "}"
            if in_header:
                self.const_header.append(f"--const 't={text}'")
                params.append(f"t: NumbaDict[int, {vt}]")
            else:
                params.append(f"t: NumbaDict[int, {vt}] = {text}")
            self.dicts["t"] = ("int", vt, True)
        if r.random() < 0.3:
            self.named = True
            self.outputs = [(f"o{j}", r.choice(self.types)) for j in range(r.randint(2, 3))]
            self.use_set_output = r.random() < 0.4
            ret = "Outputs(" + ", ".join(f"{n}={t}" for n, t in self.outputs) + ")"
        else:
            self.outputs = [("output_0", r.choice(self.types))]
            ret = f"Signal[{self.outputs[0][1]}]"

        self.lines.append("import math")
        self.lines.append("")
        self.lines.append("")
        self.lines.append(f"def {self.name}({', '.join(params)}) -> {ret}:")
        for _ in range(r.randint(0, 2)):
            t = r.choice(self.types)
            name = self.fresh("s")
            self.emit(1, f"{name}: State[{t}] = {self.literal(t)}")
            self.declare(name, t, "state")
            self.state.append((name, t, None))
        for _ in range(r.randint(1, 3)):
            self.new_container(state=True)
        for _ in range(r.randint(0, 2)):
            self.new_container(state=False)
        for _ in range(r.randint(3, 8)):
            self.statement(1, 0)
        if self.use_set_output:
            name, t = r.choice(self.outputs)
            self.emit(1, f'set_output("{name}", {self.expr(t, 2)})')
        self.emit(1, self.return_stmt())

        header = " ".join([f"# cfuncc: --function {self.name}"] + self.const_header)
        return header + "\n" + "\n".join(self.lines) + "\n"

    def literal(self, t):
        r = self.rng
        return {"int": str(r.randint(-5, 9)), "float": repr(r.choice(FLOAT_LITERALS)),
                "bool": r.choice(["True", "False"])}[t]

    def new_container(self, state):
        r = self.rng
        if r.random() < 0.5:
            t = r.choice(TYPES)
            name = self.fresh("xs" if state else "ys")
            if state:
                ann = r.choice(["NumbaList", f"NumbaList[{t}]"])
                self.emit(1, f"{name}: State[{ann}] = create_new_list({t})")
            else:
                self.emit(1, f"{name} = create_new_list({t})")
            self.lists[name] = (t, False)
        else:
            kt = r.choice(["int", "int", "int", "float", "bool"])
            vt = r.choice(TYPES) if kt == "int" else "int"
            name = self.fresh("d" if state else "e")
            if state:
                ann = r.choice(["NumbaDict", f"NumbaDict[{kt}, {vt}]"])
                self.emit(1, f"{name}: State[{ann}] = create_new_dict({kt}, {vt})")
            else:
                self.emit(1, f"{name} = create_new_dict({kt}, {vt})")
            self.dicts[name] = (kt, vt, False)
        if state:
            self.container_state = True

    def ticks(self):
        out = super().ticks()
        if self.container_state and len(out) > 4 and self.rng.random() < 0.4:
            # restart (state reset); sometimes with an EXECUTE in between (fault 9)
            at = self.rng.randrange(1, len(out) - 1)
            extra = [{"phase": "stop"}]
            if self.rng.random() < 0.3:
                extra.append(out[at])
            extra.append({"phase": "start"})
            out[at:at] = extra
        return out


def oracle_output(path, ticks):
    """The oracle's printed lines for the node file at path, or None on a usage error."""
    args = oracle.header_args(path)
    consts = [args[j + 1] for j, a in enumerate(args) if a == "--const"]
    function = args[args.index("--function") + 1]
    try:
        node = oracle.load(path, function, consts)
        return oracle.run_lines(node, [json.dumps(t) for t in ticks])
    except oracle.UsageError:
        return None


def acceptable(lines):
    """No oracle_error, some output ticks, and not the same line every tick;
    faults (compared, not skipped) on at most a third of the ticks."""
    if lines is None or any('"oracle_error"' in line for line in lines):
        return False
    if len(set(lines)) < 2:
        return False
    results = [json.loads(line) for line in lines]
    faults = sum(1 for res in results if "error" in res)
    if 3 * faults > len(results):
        return False
    for res in results:
        if "outputs" not in res:
            continue
        outs = res["outputs"]
        values = outs.values() if isinstance(outs, dict) else outs
        if any(v is not None for v in values):
            return True
    return False


def generate_one(seed, index, out_dir, containers=False):
    name = f"gen{'c' if containers else ''}_{seed}_{index:03d}"
    path = os.path.join(out_dir, name + ".py")
    for attempt in range(200):
        rng = random.Random(f"{seed}:{'c' if containers else ''}{index}:{attempt}")
        prog = (ContainerProgram if containers else Program)(rng, name)
        source = prog.build()
        ticks = prog.ticks()
        with open(path, "w") as f:
            f.write(source)
        if acceptable(oracle_output(path, ticks)):
            with open(os.path.join(out_dir, name + ".ticks.jsonl"), "w") as f:
                f.writelines(json.dumps(t) + "\n" for t in ticks)
            return attempt
    os.remove(path)
    raise RuntimeError(f"{name}: no acceptable program in 200 attempts")


def main(argv):
    p = argparse.ArgumentParser(description="Generate random scalar nodes with tick files.")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--containers", type=int, default=0,
                   help="also write this many container nodes (genc_S_III)")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    discarded = 0
    for i in range(args.count):
        discarded += generate_one(args.seed, i, args.out)
    for i in range(args.containers):
        discarded += generate_one(args.seed, i, args.out, containers=True)
    print(f"wrote {args.count} + {args.containers} nodes to {args.out} ({discarded} drafts discarded)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
