#!/usr/bin/env python3
"""Generate random scalar nodes for cfuncc's differential tests.

    python3 generate.py --seed S --count N --out DIR

Writes N programs `DIR/gen_S_III.py` (with the `# cfuncc:` header) and their
`DIR/gen_S_III.ticks.jsonl`. The output depends only on S and N.

Programs come from a small typed grammar: int/float/bool inputs and locals,
an optional int constant and scalar state, arithmetic, comparisons (some
chained), and/or/not, ternaries, abs/min/max/round/int/float, a few math
functions, if/elif/else, bounded `for ... in range(...)` (negative steps
too, with break/continue/else), bounded while loops, augmented assignment,
early returns, one output or named outputs (tuple or set_output).

Every variable keeps one type, a variable assigned inside a block is only
used inside it, and divisors are nonzero by construction (`abs(e) % 7 + 1`).
Each program is run through oracle.py; one whose oracle output holds an
oracle_error (an int64 overflow, a non-finite float, ...), that never ticks
or that prints the same line on every tick is thrown away and drawn again.
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
            t = r.choice(TYPES)
            name = self.fresh("v")
            self.emit(indent, f"{name} = {self.expr(t, 3)}")
            self.declare(name, t)
        elif kind == "reassign":
            t = r.choice(TYPES)
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

    def build(self):
        r = self.rng
        for k in range(r.randint(1, 3)):
            self.inputs.append((f"x{k}", r.choice(TYPES)))
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
            self.outputs = [(f"o{j}", r.choice(TYPES)) for j in range(r.randint(2, 3))]
            self.use_set_output = r.random() < 0.4
            ret = "Outputs(" + ", ".join(f"{n}={t}" for n, t in self.outputs) + ")"
        else:
            self.outputs = [("output_0", r.choice(TYPES))]
            ret = f"Signal[{self.outputs[0][1]}]"

        self.lines.append("import math")
        self.lines.append("")
        self.lines.append("")
        self.lines.append(f"def {self.name}({', '.join(params)}) -> {ret}:")
        for _ in range(r.randint(0, 3)):
            t = r.choice(TYPES)
            name = self.fresh("s")
            lit = {"int": str(r.randint(-3, 3)), "float": repr(r.choice(FLOAT_LITERALS)),
                   "bool": r.choice(["True", "False"])}[t]
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


def oracle_output(path, ticks):
    """The oracle's printed lines for the node file at path, or None on a usage error."""
    args = oracle.header_args(path)
    consts = [args[j + 1] for j, a in enumerate(args) if a == "--const"]
    function = args[args.index("--function") + 1]
    try:
        node = oracle.load(path, function, consts)
    except oracle.UsageError:
        return None
    return oracle.run_lines(node, [json.dumps(t) for t in ticks])


def acceptable(lines):
    """No oracle_error, some output ticks, and not the same line every tick."""
    if lines is None or any('"oracle_error"' in line for line in lines):
        return False
    if len(set(lines)) < 2:
        return False
    for line in lines:
        outs = json.loads(line)["outputs"]
        values = outs.values() if isinstance(outs, dict) else outs
        if any(v is not None for v in values):
            return True
    return False


def generate_one(seed, index, out_dir):
    name = f"gen_{seed}_{index:03d}"
    path = os.path.join(out_dir, name + ".py")
    for attempt in range(200):
        rng = random.Random(f"{seed}:{index}:{attempt}")
        prog = Program(rng, name)
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
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    discarded = 0
    for i in range(args.count):
        discarded += generate_one(args.seed, i, args.out)
    print(f"wrote {args.count} nodes to {args.out} ({discarded} drafts discarded)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
