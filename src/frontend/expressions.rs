//! Python expressions → arith/math and cfunc ops, typed as they go.
//!
//! Arithmetic follows Python: bool promotes to int, int mixed with float
//! gives float, `/` is always float. Operators whose Python meaning differs
//! from `arith`'s (`//`, `%`, `**`, shifts) become cfunc ops that
//! `cfunc-lower-arith` expands. `and`/`or`, chained comparisons and the
//! ternary short-circuit through blocks that join with a block argument.

use super::a_ty;
use super::codegen::{const_value, FnGen};
use crate::abi::param;
use crate::diagnostics::CompileError;
use crate::dialect::builder::{CmpF, CmpI};
use crate::dialect::ir::{Block, Value};
use crate::dialect::types::ToMlir;
use crate::dialect::{FaultCode, MAX_CALL_ARGS};
use crate::types::Ty;
use ruff_python_ast::{self as ast, BoolOp, CmpOp, Expr, Number, Operator, UnaryOp};
use ruff_text_size::{Ranged, TextRange, TextSize};

type R<T> = Result<T, CompileError>;
use super::codegen::Typed;

impl<'c> FnGen<'c> {
    /// Lowers an expression to a value and its type.
    pub fn expr(&mut self, e: &Expr) -> R<Typed<'c>> {
        self.set_loc(e);
        match e {
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => match i.as_i64() {
                    Some(v) => Ok((self.b().const_i64(v), Ty::Int)),
                    None => Err(self.err(n, super::literal::INT_TOO_BIG)),
                },
                Number::Float(f) => Ok((self.b().const_f64(*f), Ty::Float)),
                Number::Complex { .. } => {
                    Err(self.err(n, "complex numbers are not supported; use an int or float"))
                }
            },
            Expr::BooleanLiteral(b) => Ok((self.b().const_bool(b.value), Ty::Bool)),
            Expr::Name(n) => self.name(n),
            Expr::BinOp(b) => {
                let lhs = self.expr(&b.left)?;
                let rhs = self.expr(&b.right)?;
                self.set_loc(e);
                self.binop(b.op, lhs, rhs, b.range)
            }
            Expr::UnaryOp(u) => self.unary(u),
            Expr::BoolOp(b) => self.bool_op(b),
            Expr::Compare(c) => self.compare_chain(c),
            Expr::If(i) => self.ternary(i),
            Expr::Call(c) => self.call(c),
            Expr::Attribute(a) => self.attribute(a),
            Expr::NoneLiteral(n) => Err(self.err(
                n,
                "None is only allowed as `return None` or as an element of a returned tuple",
            )),
            Expr::StringLiteral(s) => Err(self.err(
                s,
                "strings are not supported: node values are int, float or bool",
            )),
            Expr::FString(s) => Err(self.err(
                s,
                "f-strings are not supported: node values are int, float or bool",
            )),
            Expr::TString(s) => Err(self.err(
                s,
                "template strings are not supported: node values are int, float or bool",
            )),
            Expr::BytesLiteral(s) => Err(self.err(
                s,
                "bytes are not supported: node values are int, float or bool",
            )),
            Expr::Lambda(l) => {
                Err(self.err(l, "lambda is not supported; write the expression inline"))
            }
            Expr::ListComp(c) => {
                Err(self.err(c, "list comprehensions are not supported; use a for loop"))
            }
            Expr::SetComp(c) => {
                Err(self.err(c, "set comprehensions are not supported; use a for loop"))
            }
            Expr::DictComp(c) => {
                Err(self.err(c, "dict comprehensions are not supported; use a for loop"))
            }
            Expr::Generator(c) => {
                Err(self.err(c, "generator expressions are not supported; use a for loop"))
            }
            Expr::Yield(y) => Err(self.err(
                y,
                "'yield' is not supported: a node returns its outputs once per tick",
            )),
            Expr::YieldFrom(y) => Err(self.err(
                y,
                "'yield from' is not supported: a node returns its outputs once per tick",
            )),
            Expr::Await(a) => Err(self.err(
                a,
                "'await' is not supported: a node runs synchronously on each tick",
            )),
            Expr::Named(n) => Err(self.err(
                n,
                "the walrus operator ':=' is not supported; assign on its own line",
            )),
            Expr::List(l) => Err(self.err(l, "list literals are not supported in expressions")),
            Expr::Tuple(t) => Err(self.err(
                t,
                "tuples are supported only in `a, b = x, y` and in returns of named outputs",
            )),
            Expr::Dict(d) => Err(self.err(d, "dict literals are not supported in expressions")),
            Expr::Set(s) => Err(self.err(s, "sets are not supported")),
            Expr::Subscript(s) => self.subscript(s),
            Expr::Starred(s) => Err(self.err(s, "starred expressions are not supported")),
            Expr::Slice(s) => {
                Err(self.err(s, "slices are not supported on int, float or bool values"))
            }
            Expr::EllipsisLiteral(s) => Err(self.err(s, "'...' is not a value")),
            Expr::IpyEscapeCommand(s) => Err(self.err(s, "IPython escape commands are not Python")),
        }
    }

    /// A condition's truth value as `i1`.
    pub fn condition(&mut self, e: &Expr) -> R<Value<'c>> {
        if let Some(v) = self.container_truthy(e)? {
            return Ok(v);
        }
        // Only the truth of each operand matters: `t and d` of a datetime
        // and a timedelta is a fine condition, though not a value.
        if let Expr::BoolOp(bo) = e {
            return self.condition_bool_op(bo);
        }
        let (v, ty) = self.expr(e)?;
        self.truthy(v, ty, e.range())
    }

    /// Python truthiness: numbers are true unless zero (NaN is true); a
    /// scalar type calls its `__bool__` method, and without one is always
    /// true, as a Python object is.
    pub fn truthy(&mut self, v: Value<'c>, ty: Ty, at: TextRange) -> R<Value<'c>> {
        if let Some((t, _)) = self.special_method(at, "__bool__", v, ty, Some(Ty::Bool))? {
            return Ok(t);
        }
        Ok(crate::dialect::convert::bool_of(&self.b(), v, ty))
    }

    /// `name` (`__neg__`, `__abs__`, `__bool__`, ...) applied to `v`, if `ty`
    /// is a scalar type with that method registered: as Python calls
    /// `x.__neg__()` for `-x`. `want` is the result type the protocol needs
    /// (`__bool__` must give a bool).
    fn special_method(
        &mut self,
        at: TextRange,
        name: &str,
        v: Value<'c>,
        ty: Ty,
        want: Option<Ty>,
    ) -> R<Option<(Value<'c>, Ty)>> {
        if !ty.is_opaque() {
            return Ok(None);
        }
        let Some(h) = self.cx.method(ty, name).cloned() else {
            return Ok(None);
        };
        let rt = crate::registry::run_hook(|| (h.infer)(&[ty]))
            .map_err(|m| self.err(&at, format!("{ty}.{name}(): {m}")))?;
        if want.is_some_and(|w| w != rt) {
            return Err(self.err(
                &at,
                format!(
                    "{ty}.{name}() is registered as returning {} but must return {}",
                    a_ty(rt),
                    a_ty(want.unwrap_or(rt))
                ),
            ));
        }
        let b = self.b();
        let op = b.cfunc_method(&h.qualified(), v, &[], Some(rt.mlir(&b)));
        Ok(Some((op.result(0), rt)))
    }

    fn name(&mut self, n: &ast::ExprName) -> R<Typed<'c>> {
        let name = n.id.as_str();
        if self.is_container_expr(&Expr::Name(n.clone())) {
            let what = if self.static_array_type(&Expr::Name(n.clone())).is_some() {
                "an array"
            } else {
                "a list or dict"
            };
            return Err(self.err(n, format!("'{name}' is {what}, not a number; use len({name}), {name}[i], or iterate over it")));
        }
        if let Some(s) = self.sig.state.iter().find(|s| s.name == name) {
            let b = self.b();
            return Ok((
                b.cfunc_state_load(self.abi[param::STATE], s.slot, s.ty.mlir(&b)),
                s.ty,
            ));
        }
        if self.assigned.contains(name) || self.inlined_locals.contains(name) {
            let slot = match self.locals.get(name) {
                Some(l) => Some(*l),
                None => self.hints.get(name).map(|t| {
                    // Read before any assignment on this path: the slot is
                    // zero-filled (Python would raise UnboundLocalError).
                    self.declare_local(name, *t);
                    self.locals[name]
                }),
            };
            let Some((slot, ty)) = slot else {
                if self.poisoned.contains(name) {
                    return Err(self.err(n, super::codegen::POISONED));
                }
                return Err(self.err(
                    n,
                    format!("variable '{name}' is used before it is assigned"),
                ));
            };
            self.check_input_read(name);
            let b = self.b();
            return Ok((b.v("llvm.load", &[slot], ty.mlir(&b), &[]), ty));
        }
        if let Some(input) = self.inputs.get(name).copied() {
            return Ok((self.read_input(&input, name), input.ty));
        }
        let constant = self
            .sig
            .constants
            .iter()
            .find(|(c, _)| c == name)
            .map(|(_, v)| v.clone())
            .or_else(|| self.scope.constants.get(name).cloned());
        if let Some(c) = constant {
            return Ok((const_value(&self.b(), &c), c.ty()));
        }
        // `from math import pi`: the module attribute.
        if let Some(h) = self.imports.get(name).and_then(|q| self.cx.attribute(q)) {
            let (q, ty) = (h.name.clone(), h.ty);
            let b = self.b();
            return Ok((b.cfunc_getattr(&q, ty.mlir(&b)), ty));
        }
        if self.poisoned.contains(name) {
            return Err(self.err(n, super::codegen::POISONED));
        }
        let hint = if self.imports.get(name).is_some_and(|q| q.contains('.')) {
            format!(
                "'{name}' ({}) is not a value; call it if it is a function",
                self.imports[name]
            )
        } else if self.imports.contains_key(name) {
            format!("'{name}' is a module; use its functions, such as {name}.sqrt(x)")
        } else if self.cx.call(name).is_some() {
            format!("'{name}' is a function; call it")
        } else if self.sig.inputs.iter().any(|i| i.name == name) {
            format!("input '{name}' has no value here: a `with start():` or `with stop():` block runs in START or STOP, without inputs")
        } else {
            format!("unknown name '{name}': not a parameter, local, state or module-level constant")
        };
        Err(self.err(n, hint))
    }

    /// Lowers `lhs op rhs`.
    pub fn binop(
        &mut self,
        op: Operator,
        (a, at): (Value<'c>, Ty),
        (c, ct): (Value<'c>, Ty),
        range: TextRange,
    ) -> R<Typed<'c>> {
        if let Some(def) = at.as_struct().or(ct.as_struct()) {
            return Err(self.err(
                &range,
                format!("unsupported operand types for {}: {at} and {ct}; a struct is not a number, use its fields ({})",
                    op.as_str(), def.field_names()),
            ));
        }
        if at.is_opaque() || ct.is_opaque() {
            return self.opaque_binop(op, (a, at), (c, ct), range);
        }
        let joined = Ty::arith_join(at, ct);
        let sym = op.as_str();
        let bit_op = matches!(op, Operator::BitOr | Operator::BitAnd | Operator::BitXor);
        if bit_op && at == Ty::Bool && ct == Ty::Bool {
            let name = match op {
                Operator::BitOr => "arith.ori",
                Operator::BitAnd => "arith.andi",
                _ => "arith.xori",
            };
            return Ok((self.b().bin(name, a, c), Ty::Bool));
        }
        let int_only = bit_op || matches!(op, Operator::LShift | Operator::RShift);
        if int_only && joined == Ty::Float {
            return Err(self.err(&range, format!("unsupported operand types for {sym}: {at} and {ct}; '{sym}' works on int and bool")));
        }
        if op == Operator::MatMult {
            return Err(self.err(
                &range,
                "the '@' operator is not supported on numbers; use '*' to multiply",
            ));
        }
        if op == Operator::Div {
            let x = self.convert(a, at, Ty::Float, range)?;
            let y = self.convert(c, ct, Ty::Float, range)?;
            return Ok((self.b().bin("arith.divf", x, y), Ty::Float));
        }
        let x = self.convert(a, at, joined, range)?;
        let y = self.convert(c, ct, joined, range)?;
        let b = self.b();
        let float = joined == Ty::Float;
        let v = match op {
            Operator::Add => b.bin(if float { "arith.addf" } else { "arith.addi" }, x, y),
            Operator::Sub => b.bin(if float { "arith.subf" } else { "arith.subi" }, x, y),
            Operator::Mult => b.bin(if float { "arith.mulf" } else { "arith.muli" }, x, y),
            Operator::FloorDiv => b.cfunc_floordiv(x, y),
            Operator::Mod => b.cfunc_mod(x, y),
            Operator::Pow if float => b.bin("math.powf", x, y),
            Operator::Pow => {
                let z = b.const_i64(0);
                let neg = b.cmpi(CmpI::Slt, y, z);
                b.cfunc_check(neg, FaultCode::NegativeIntPower);
                b.cfunc_ipow(x, y)
            }
            Operator::LShift | Operator::RShift => {
                let z = b.const_i64(0);
                let neg = b.cmpi(CmpI::Slt, y, z);
                b.cfunc_check(neg, FaultCode::NegativeShift);
                if op == Operator::LShift {
                    b.cfunc_shl(x, y)
                } else {
                    b.cfunc_shr(x, y)
                }
            }
            Operator::BitOr => b.bin("arith.ori", x, y),
            Operator::BitAnd => b.bin("arith.andi", x, y),
            Operator::BitXor => b.bin("arith.xori", x, y),
            Operator::Div | Operator::MatMult => unreachable!("handled above"),
        };
        Ok((v, joined))
    }

    /// `lhs op rhs` with a datetime, timedelta or scalar-type operand: typed
    /// by the registered [`crate::registry::BinopRule`]s, computed on the
    /// payloads (a datetime's int64 nanoseconds, a scalar type's repr).
    fn opaque_binop(
        &mut self,
        op: Operator,
        (a, at): (Value<'c>, Ty),
        (c, ct): (Value<'c>, Ty),
        range: TextRange,
    ) -> R<Typed<'c>> {
        let as_int = |t: Ty| if t == Ty::Bool { Ty::Int } else { t };
        let sym = op.as_str();
        let Some(result) = self.cx.binop(as_int(at), op, as_int(ct)) else {
            let opaque = if at.is_opaque() { at } else { ct };
            let mut ok: Vec<String> = self
                .cx
                .binops_of(opaque)
                .map(|r| format!("{} {} {}", r.lhs, r.op.as_str(), r.rhs))
                .collect();
            ok.dedup();
            let supported = if ok.is_empty() {
                format!("{opaque} has no arithmetic registered")
            } else {
                format!("supported: {}", ok.join(", "))
            };
            return Err(self.err(
                &range,
                format!("unsupported operand types for {sym}: {at} and {ct}; {supported}"),
            ));
        };
        let payload = Ty::payload;
        let (v, computed) = self.binop(op, (a, payload(at)), (c, payload(ct)), range)?;
        if computed != payload(result) {
            return Err(self.err(
                &range,
                format!(
                    "{at} {sym} {ct} is registered as {result} but computes {}",
                    a_ty(computed)
                ),
            ));
        }
        Ok((v, result))
    }

    fn unary(&mut self, u: &ast::ExprUnaryOp) -> R<Typed<'c>> {
        if u.op == UnaryOp::Not {
            if let Some(t) = self.container_truthy(&u.operand)? {
                let b = self.b();
                let one = b.const_bool(true);
                return Ok((b.bin("arith.xori", t, one), Ty::Bool));
            }
        }
        let (v, ty) = self.expr(&u.operand)?;
        self.set_loc(u);
        // -x, +x, ~x of a scalar type: its __neg__, __pos__, __invert__.
        if ty.is_opaque() && u.op != UnaryOp::Not {
            let (sym, dunder) = match u.op {
                UnaryOp::USub => ("-", "__neg__"),
                UnaryOp::UAdd => ("+", "__pos__"),
                _ => ("~", "__invert__"),
            };
            if let Some(r) = self.special_method(u.range, dunder, v, ty, None)? {
                return Ok(r);
            }
            return Err(self.err(u, format!("bad operand type for unary {sym}: {ty}")));
        }
        match u.op {
            UnaryOp::Not => {
                let t = self.truthy(v, ty, u.operand.range())?;
                let b = self.b();
                let one = b.const_bool(true);
                Ok((b.bin("arith.xori", t, one), Ty::Bool))
            }
            UnaryOp::UAdd => {
                let to = if ty == Ty::Bool { Ty::Int } else { ty };
                Ok((self.convert(v, ty, to, u.range)?, to))
            }
            UnaryOp::USub => match ty {
                Ty::Float => Ok((self.b().un("arith.negf", v), Ty::Float)),
                _ => {
                    let v = self.convert(v, ty, Ty::Int, u.range)?;
                    let b = self.b();
                    let z = b.const_i64(0);
                    Ok((b.bin("arith.subi", z, v), Ty::Int))
                }
            },
            UnaryOp::Invert => match ty {
                Ty::Float => Err(self.err(
                    u,
                    "bad operand type for unary ~: float; '~' works on int and bool",
                )),
                _ => {
                    let v = self.convert(v, ty, Ty::Int, u.range)?;
                    let b = self.b();
                    let m = b.const_i64(-1);
                    Ok((b.bin("arith.xori", v, m), Ty::Int))
                }
            },
        }
    }

    /// `a and b` / `a or b` with Python's value semantics: the result is the
    /// first operand that decides, converted to the operands' common type.
    fn bool_op(&mut self, e: &ast::ExprBoolOp) -> R<Typed<'c>> {
        let mut pieces: Vec<(Block<'c>, Block<'c>, Value<'c>, Ty)> = Vec::new();
        for (i, operand) in e.values.iter().enumerate() {
            if i > 0 {
                let start = self.new_block();
                self.cur = Some(start);
            }
            let start = self.cur.expect("live block");
            let (v, t) = self.expr(operand)?;
            pieces.push((start, self.cur.expect("live block"), v, t));
        }
        let ty = pieces
            .iter()
            .map(|p| p.3)
            .reduce(Ty::unify)
            .expect("a bool op has operands");
        let merge = self.new_block_with_arg(ty.mlir(&self.b()));
        for i in 0..pieces.len() {
            let (_, end, v, t) = pieces[i];
            self.cur = Some(end);
            let conv = self.convert(v, t, ty, e.range)?;
            let b = self.b();
            match pieces.get(i + 1) {
                None => b.br(merge, &[conv]),
                Some(next) => {
                    let truth = self.truthy(v, t, e.values[i].range())?;
                    match e.op {
                        BoolOp::And => b.cond_br_args(truth, next.0, &[], merge, &[conv]),
                        BoolOp::Or => b.cond_br_args(truth, merge, &[conv], next.0, &[]),
                    }
                }
            }
        }
        self.cur = Some(merge);
        Ok((merge.argument(0), ty))
    }

    /// `a and b` / `a or b` used only for its truth (in `if`, `while`, ...),
    /// so operands may be of any types, lists and dicts included:
    /// short-circuits on each operand's truth value.
    fn condition_bool_op(&mut self, e: &ast::ExprBoolOp) -> R<Value<'c>> {
        let merge = self.new_block_with_arg(self.b().i1());
        let n = e.values.len();
        for (i, operand) in e.values.iter().enumerate() {
            let t = self.condition(operand)?;
            let b = self.b();
            if i + 1 == n {
                b.br(merge, &[t]);
            } else {
                let next = self.new_block();
                match e.op {
                    BoolOp::And => b.cond_br_args(t, next, &[], merge, &[t]),
                    BoolOp::Or => b.cond_br_args(t, merge, &[t], next, &[]),
                }
                self.cur = Some(next);
            }
        }
        self.cur = Some(merge);
        Ok(merge.argument(0))
    }

    /// `a < b < c`: each operand is evaluated once, and evaluation stops at
    /// the first false comparison.
    fn compare_chain(&mut self, c: &ast::ExprCompare) -> R<Typed<'c>> {
        if let Some(r) = self.membership(c)? {
            return Ok(r);
        }
        if let Some(r) = self.is_none_test(c)? {
            return Ok(r);
        }
        let mut left = self.expr(&c.left)?;
        if c.ops.len() == 1 {
            let right = self.expr(&c.comparators[0])?;
            self.set_loc(c);
            let at = self.operator_range(c, 0);
            return Ok((self.compare(c.ops[0], left, right, at)?, Ty::Bool));
        }
        let merge = self.new_block_with_arg(self.b().i1());
        for (i, (op, rhs)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
            let right = self.expr(rhs)?;
            let at = self.operator_range(c, i);
            let r = self.compare(*op, left, right, at)?;
            let b = self.b();
            if i + 1 == c.ops.len() {
                b.br(merge, &[r]);
            } else {
                let next = self.new_block();
                let f = b.const_bool(false);
                b.cond_br_args(r, next, &[], merge, &[f]);
                self.cur = Some(next);
            }
            left = right;
        }
        self.cur = Some(merge);
        Ok((merge.argument(0), Ty::Bool))
    }

    /// One comparison.
    pub fn compare(
        &mut self,
        op: CmpOp,
        (a, at): (Value<'c>, Ty),
        (c, ct): (Value<'c>, Ty),
        range: TextRange,
    ) -> R<Value<'c>> {
        if let Some(def) = at.as_struct().or(ct.as_struct()) {
            return Err(self.err(
                &range,
                format!(
                    "structs cannot be compared; compare their fields ({} has {})",
                    def.name,
                    def.field_names()
                ),
            ));
        }
        if (at.is_opaque() || ct.is_opaque()) && at != ct {
            let opaque = if at.is_opaque() { at } else { ct };
            return Err(self.err(
                &range,
                format!(
                    "cannot compare {} with {}; compare a {opaque} with another {opaque}",
                    a_ty(at),
                    a_ty(ct),
                ),
            ));
        }
        // An int with a float: exactly, as CPython does, not through the
        // int's rounding to a double.
        match (at, ct) {
            (Ty::Int, Ty::Float) => return self.cmp_int_float(op, a, c, range),
            (Ty::Float, Ty::Int) => return self.cmp_int_float(mirror(op), c, a, range),
            _ => {}
        }
        let ty = if at == ct { at } else { Ty::arith_join(at, ct) };
        let x = self.convert(a, at, ty, range)?;
        let y = self.convert(c, ct, ty, range)?;
        // Values of an opaque type compare as their payloads.
        let ty = ty.payload();
        let b = self.b();
        if ty == Ty::Float {
            let p = match op {
                CmpOp::Eq => CmpF::Oeq,
                CmpOp::NotEq => CmpF::Une,
                CmpOp::Lt => CmpF::Olt,
                CmpOp::LtE => CmpF::Ole,
                CmpOp::Gt => CmpF::Ogt,
                CmpOp::GtE => CmpF::Oge,
                _ => return Err(self.unsupported_cmp(op, range)),
            };
            return Ok(b.cmpf(p, x, y));
        }
        // Bools compare as ints (False < True).
        let (x, y) = if ty == Ty::Bool {
            (
                b.cast("arith.extui", x, b.i64()),
                b.cast("arith.extui", y, b.i64()),
            )
        } else {
            (x, y)
        };
        let p = match op {
            CmpOp::Eq => CmpI::Eq,
            CmpOp::NotEq => CmpI::Ne,
            CmpOp::Lt => CmpI::Slt,
            CmpOp::LtE => CmpI::Sle,
            CmpOp::Gt => CmpI::Sgt,
            CmpOp::GtE => CmpI::Sge,
            _ => return Err(self.unsupported_cmp(op, range)),
        };
        Ok(b.cmpi(p, x, y))
    }

    /// `i op f` for an int `i` and a float `f`, exactly (CPython's
    /// `float_richcompare`): 2**62 + 2 != float(2**62), though the int
    /// rounds to that double. NaN is unordered (only `!=` holds); a double
    /// outside [-2**63, 2**63), infinities included, is beyond every int64;
    /// otherwise `i` is compared with the double truncated to an int (exact)
    /// and a tie is broken by the double's fractional part. Branch-free,
    /// about ten instructions where one conversion and one compare were;
    /// LLVM folds most of it when `f` is a constant.
    fn cmp_int_float(
        &mut self,
        op: CmpOp,
        i: Value<'c>,
        f: Value<'c>,
        range: TextRange,
    ) -> R<Value<'c>> {
        if !matches!(
            op,
            CmpOp::Eq | CmpOp::NotEq | CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE
        ) {
            return Err(self.unsupported_cmp(op, range));
        }
        let b = self.b();
        let two63 = b.const_f64(9_223_372_036_854_775_808.0);
        let minus_two63 = b.const_f64(-9_223_372_036_854_775_808.0);
        let nan = b.cmpf(CmpF::Uno, f, f);
        let above = b.cmpf(CmpF::Oge, f, two63); // i < f
        let below = b.cmpf(CmpF::Olt, f, minus_two63); // i > f
        let out = b.bin("arith.ori", nan, above);
        let out = b.bin("arith.ori", out, below);
        // In range, fptosi is exact truncation; out of range it would be
        // poison, so it sees 0.0 there.
        let zero = b.const_f64(0.0);
        let fin = b.select(out, zero, f);
        let t = b.cast("arith.fptosi", fin, b.i64());
        let frac = b.bin("arith.subf", fin, b.cast("arith.sitofp", t, b.f64()));
        let tie = b.cmpi(CmpI::Eq, i, t);
        let (ilt, igt) = (b.cmpi(CmpI::Slt, i, t), b.cmpi(CmpI::Sgt, i, t));
        let (fpos, fneg) = (b.cmpf(CmpF::Ogt, frac, zero), b.cmpf(CmpF::Olt, frac, zero));
        // Within range: less = i < t or (i == t and frac > 0), and so on.
        let less = b.bin("arith.ori", ilt, b.bin("arith.andi", tie, fpos));
        let greater = b.bin("arith.ori", igt, b.bin("arith.andi", tie, fneg));
        let fls = b.const_bool(false);
        let less = b.select(out, above, less);
        let greater = b.select(out, below, greater);
        let frac0 = b.cmpf(CmpF::Oeq, frac, zero);
        let eq = b.select(out, fls, b.bin("arith.andi", tie, frac0));
        let t = b.const_bool(true);
        let not = |v| b.bin("arith.xori", v, t);
        Ok(match op {
            CmpOp::Eq => eq,
            CmpOp::NotEq => not(eq),
            CmpOp::Lt => less,
            CmpOp::Gt => greater,
            CmpOp::LtE => b.bin("arith.ori", less, eq),
            _ => b.bin("arith.ori", greater, eq),
        })
    }

    /// The source range of the `i`-th operator of a comparison, so that an
    /// unsupported one (`is`, `in`) is reported where it is written. The
    /// AST keeps no operator ranges: skip from the left operand's end over
    /// blanks and closing parentheses.
    pub(super) fn operator_range(&self, c: &ast::ExprCompare, i: usize) -> TextRange {
        let left_end = if i == 0 {
            c.left.end()
        } else {
            c.comparators[i - 1].end()
        };
        let gap = &self.map.text[left_end.to_usize()..c.comparators[i].start().to_usize()];
        let skip = gap
            .find(|ch: char| !(ch.is_whitespace() || ch == ')' || ch == '\\'))
            .unwrap_or(0);
        let start = left_end + TextSize::try_from(skip).unwrap_or_default();
        TextRange::new(start, c.comparators[i].start())
    }

    fn unsupported_cmp(&self, op: CmpOp, range: TextRange) -> CompileError {
        self.err(
            &range,
            format!(
                "'{}' is not supported on numbers; use ==, !=, <, <=, >, >=",
                op.as_str()
            ),
        )
    }

    fn ternary(&mut self, i: &ast::ExprIf) -> R<Typed<'c>> {
        let then = self.new_block();
        let other = self.new_block();
        let c = self.condition(&i.test)?;
        self.b().cond_br(c, then, other);
        self.cur = Some(then);
        let (v1, t1) = self.expr(&i.body)?;
        let end1 = self.cur.expect("live block");
        self.cur = Some(other);
        let (v2, t2) = self.expr(&i.orelse)?;
        let end2 = self.cur.expect("live block");
        let ty = Ty::unify(t1, t2);
        let merge = self.new_block_with_arg(ty.mlir(&self.b()));
        for (end, v, t) in [(end1, v1, t1), (end2, v2, t2)] {
            self.cur = Some(end);
            let conv = self.convert(v, t, ty, i.range)?;
            self.b().br(merge, &[conv]);
        }
        self.cur = Some(merge);
        Ok((merge.argument(0), ty))
    }

    /// The qualified name a callee or attribute expression refers to.
    fn qualified(&self, e: &Expr) -> R<String> {
        match e {
            Expr::Name(n) => Ok(self.imports.get(n.id.as_str()).cloned().unwrap_or_else(|| n.id.to_string())),
            Expr::Attribute(a) => match &*a.value {
                Expr::Name(m) => match self.imports.get(m.id.as_str()) {
                    Some(module) => Ok(format!("{module}.{}", a.attr.id)),
                    // A registered namespace of attributes (an enum: Side.BUY).
                    None if self.cx.has_attribute_namespace(m.id.as_str()) => {
                        Ok(format!("{}.{}", m.id, a.attr.id))
                    }
                    None if self.is_value_name(m.id.as_str()) => Err(self.err(
                        a,
                        format!("'.{}' on a value is not supported: int, float and bool values have no attributes here", a.attr.id),
                    )),
                    None => Err(self.err(m, format!("'{}' is not imported; add `import {}` at the top of the file", m.id, m.id))),
                },
                _ => Err(self.err(a, "only module attributes such as math.pi are supported")),
            },
            other => Err(self.err(other, "only named functions can be called")),
        }
    }

    pub(super) fn is_value_name(&self, name: &str) -> bool {
        self.assigned.contains(name)
            || self.inlined_locals.contains(name)
            || self.inputs.contains_key(name)
            || self.sig.state.iter().any(|s| s.name == name)
            || self.sig.constants.iter().any(|(c, _)| c == name)
    }

    fn call(&mut self, c: &ast::ExprCall) -> R<Typed<'c>> {
        if let Some(r) = self.extern_value(c)? {
            return Ok(r);
        }
        if let Some(r) = self.method_call(c)? {
            return Ok(r);
        }
        if let Some(r) = self.container_call(c)? {
            return r.ok_or_else(|| {
                self.err(
                    c,
                    "this call returns None; write it as a statement of its own",
                )
            });
        }
        if let Expr::Name(n) = &*c.func {
            match n.id.as_str() {
                "ticked" | "valid" => return self.input_flag(c, n.id.as_str()),
                "range" => {
                    return Err(
                        self.err(c, "range() is supported only as the iterable of a for loop")
                    )
                }
                "set_output" => {
                    return Err(self.err(c, "set_output(...) is a statement, not a value"))
                }
                own if own == self.sig.function => {
                    return Err(self.err(
                        c,
                        format!("recursion is not supported: '{own}' calls itself"),
                    ));
                }
                other
                    if self.scope.helpers.contains_key(other)
                        && !self.imports.contains_key(other) =>
                {
                    let other = other.to_string();
                    return self
                        .helper_call(c, &other, true)
                        .map(|v| v.expect("a value was asked for"));
                }
                _ => {}
            }
        }
        let name = self.qualified(&c.func)?;
        if self.cx.const_call(&name).is_some() {
            // datetime(...) / timedelta(...): calls that fold to constants.
            let mut names = self.scope.constants.clone();
            names.extend(self.sig.constants.iter().cloned());
            let e = Expr::Call(c.clone());
            let env = super::literal::Env::new(self.cx, &names);
            if let Some(folded) = super::literal::const_call(&e, env) {
                let v = folded.map_err(|msg| self.err(c, msg))?;
                return Ok((const_value(&self.b(), &v), v.ty()));
            }
        }
        // abs(x), bool(x), int(x), float(x) of a scalar type call its
        // __abs__, __bool__, __int__, __float__, as Python does; without
        // __bool__ it is true.
        let mut evaluated = None;
        let dunder = match name.as_str() {
            "abs" => Some("__abs__"),
            "bool" => Some("__bool__"),
            "int" => Some("__int__"),
            "float" => Some("__float__"),
            _ => None,
        };
        if let (Some(dunder), [arg], []) =
            (dunder, &c.arguments.args[..], &c.arguments.keywords[..])
        {
            // bool(xs): a list or dict is true when nonempty.
            if dunder == "__bool__" {
                if let Some(t) = self.container_truthy(arg)? {
                    return Ok((t, Ty::Bool));
                }
            }
            let (v, ty) = self.expr(arg)?;
            self.set_loc(c);
            if dunder == "__bool__" && !ty.is_numeric() {
                return Ok((self.truthy(v, ty, c.range())?, Ty::Bool));
            }
            let want = match dunder {
                "__int__" => Some(Ty::Int),
                "__float__" => Some(Ty::Float),
                _ => None,
            };
            if let Some(r) = self.special_method(c.range(), dunder, v, ty, want)? {
                return Ok(r);
            }
            evaluated = Some((vec![v], vec![ty]));
        }
        let Some(handler) = self.cx.call(&name).cloned() else {
            // For `math.foo`, list only math's functions.
            let module = name.rsplit_once('.').map(|(m, _)| format!("{m}."));
            let cx = self.cx;
            let mut known: Vec<&str> = cx
                .all_calls()
                .map(|h| h.name.as_str())
                .chain(cx.all_const_calls().map(|h| h.name.as_str()))
                .chain(
                    cx.containers()
                        .iter()
                        .filter_map(|h| h.constructor.as_deref()),
                )
                // The builtins on containers (frontend/containers.rs).
                .chain(
                    ["len", "sum"]
                        .into_iter()
                        .filter(|_| !cx.containers().is_empty()),
                )
                .filter(|n| module.as_ref().is_none_or(|m| n.starts_with(m.as_str())))
                .collect();
            known.sort();
            known.dedup();
            let known = if known.is_empty() {
                "none are registered in this compilation context".to_string()
            } else {
                format!("supported functions are: {}", known.join(", "))
            };
            return Err(self.err(c, format!("unknown function '{name}'; {known}")));
        };
        if let Some(k) = c.arguments.keywords.first() {
            return Err(self.err(
                k,
                format!(
                    "keyword arguments are not supported in calls to {name}(); pass the arguments by position"
                ),
            ));
        }
        if c.arguments.args.len() > MAX_CALL_ARGS {
            return Err(self.err(
                c,
                format!("{name}() takes at most {MAX_CALL_ARGS} arguments here"),
            ));
        }
        let (vals, tys) = match evaluated {
            Some(e) => e,
            None => self.call_args(c, Vec::new(), Vec::new())?,
        };
        self.set_loc(c);
        let ty = crate::registry::run_hook(|| (handler.infer)(&tys)).map_err(|m| {
            // A scalar type's message says what it has instead.
            let offer = match tys.iter().find(|t| t.is_opaque()) {
                Some(t) => format!("; {}", super::offers(self.cx, *t)),
                None => String::new(),
            };
            self.err(c, format!("{name}(): {m}{offer}"))
        })?;
        let b = self.b();
        let op = b.cfunc_call(&name, &vals, Some(ty.mlir(&b)));
        Ok((op.result(0), ty))
    }

    /// Evaluates a call's positional arguments after `vals`/`tys` (a
    /// method's receiver).
    fn call_args(
        &mut self,
        c: &ast::ExprCall,
        mut vals: Vec<Value<'c>>,
        mut tys: Vec<Ty>,
    ) -> R<(Vec<Value<'c>>, Vec<Ty>)> {
        for a in c.arguments.args.iter() {
            if let Expr::Starred(s) = a {
                return Err(self.err(s, "'*args' in calls is not supported"));
            }
            let (v, t) = self.expr(a)?;
            vals.push(v);
            tys.push(t);
        }
        Ok((vals, tys))
    }

    /// `x.method(args)` on a value whose type has registered methods:
    /// `cfunc.method`, resolved by `cfunc-resolve`. `None` when the callee
    /// is not a method of a value (a module function, a container method).
    fn method_call(&mut self, c: &ast::ExprCall) -> R<Option<(Value<'c>, Ty)>> {
        let Expr::Attribute(a) = &*c.func else {
            return Ok(None);
        };
        // The seed's `x.ticked()` / `x.valid()` on an input.
        if let (Expr::Name(n), "ticked" | "valid") = (&*a.value, a.attr.id.as_str()) {
            if self.inputs.contains_key(n.id.as_str()) {
                if !c.arguments.args.is_empty() || !c.arguments.keywords.is_empty() {
                    return Err(self.err(c, format!("{}.{}() takes no arguments", n.id, a.attr.id)));
                }
                return self.input_flag_of(c, n, a.attr.id.as_str()).map(Some);
            }
        }
        let is_value = match &*a.value {
            Expr::Name(n) => self.is_value_name(n.id.as_str()) && !self.is_container_expr(&a.value),
            // A call's result or an item is a value (`abs(d).total_seconds()`,
            // `max(t, u).weekday()`, `stamps[0].timestamp()`), unless it is a
            // container, whose methods are the built-in ones.
            Expr::Call(_) | Expr::Subscript(_) => !self.is_container_expr(&a.value),
            Expr::Attribute(_) => false,
            _ => true,
        };
        if !is_value {
            return Ok(None);
        }
        let (recv, rty) = self.expr(&a.value)?;
        let method = a.attr.id.as_str();
        let Some(h) = self.cx.method(rty, method).cloned() else {
            let known = self.cx.methods_of(rty);
            let hint = if known.is_empty() {
                format!("{} values have no methods", rty)
            } else {
                format!("{rty} methods are {}", known.join(", "))
            };
            let property = if self.cx.property(rty, method).is_some() {
                format!("; '{method}' is an attribute: write '.{method}' without parentheses")
            } else {
                String::new()
            };
            return Err(self.err(
                a,
                format!(
                    "unknown method '{method}' of {}; {hint}{property}",
                    super::a_ty(rty)
                ),
            ));
        };
        if let Some(k) = c.arguments.keywords.first() {
            return Err(self.err(
                k,
                format!("keyword arguments are not supported in {rty}.{method}()"),
            ));
        }
        if c.arguments.args.len() >= MAX_CALL_ARGS {
            return Err(self.err(
                c,
                format!(
                    "{rty}.{method}() takes at most {} arguments here",
                    MAX_CALL_ARGS - 1
                ),
            ));
        }
        let (vals, tys) = self.call_args(c, vec![recv], vec![rty])?;
        self.set_loc(c);
        let ty = crate::registry::run_hook(|| (h.infer)(&tys))
            .map_err(|m| self.err(c, format!("{rty}.{method}(): {m}")))?;
        let b = self.b();
        let op = b.cfunc_method(&h.qualified(), vals[0], &vals[1..], Some(ty.mlir(&b)));
        Ok(Some((op.result(0), ty)))
    }

    fn input_flag(&mut self, c: &ast::ExprCall, which: &str) -> R<Typed<'c>> {
        let usage = format!("{which}(x) takes one input parameter");
        let [Expr::Name(arg)] = &*c.arguments.args else {
            return Err(self.err(c, usage));
        };
        self.input_flag_of(c, arg, which)
    }

    /// `ticked(x)` / `valid(x)`, and the seed's spelling `x.ticked()` /
    /// `x.valid()`: input `arg`'s flag for this tick.
    fn input_flag_of(
        &mut self,
        c: &ast::ExprCall,
        arg: &ast::ExprName,
        which: &str,
    ) -> R<Typed<'c>> {
        let Some(index) = self.inputs.get(arg.id.as_str()).map(|i| i.index) else {
            return Err(self.err(
                arg,
                format!(
                    "{which}() needs an input parameter; '{}' is not a Signal input",
                    arg.id
                ),
            ));
        };
        let spec = self
            .sig
            .inputs
            .iter()
            .find(|i| i.name == arg.id.as_str())
            .expect("an input");
        let arrays = self
            .cx
            .category(&spec.category)
            .and_then(|c| c.inputs.clone());
        let flags = arrays.and_then(|a| if which == "ticked" { a.ticked } else { a.valid });
        let Some(flags) = flags else {
            return Err(self.err(
                c,
                format!("{which}(): input '{}' comes from source category '{}', which has no {which} flags", arg.id, spec.category),
            ));
        };
        let b = self.b();
        let v = if which == "ticked" {
            b.cfunc_input_ticked(self.abi[&flags], index)
        } else {
            b.cfunc_input_valid(self.abi[&flags], index)
        };
        Ok((v, Ty::Bool))
    }

    /// Whether `e`, the base of an attribute, is a value (`q` in `q.bid`,
    /// `q.time` in `q.time.year`) rather than a module or namespace
    /// (`math` in `math.pi`, `Side` in `Side.BUY`).
    pub(super) fn is_value_base(&self, e: &Expr) -> bool {
        match e {
            Expr::Name(n) => self.is_value_name(n.id.as_str()),
            // `a.b.c`: a value when `a.b` reads an attribute of a value.
            Expr::Attribute(inner) => self.is_value_base(&inner.value),
            _ => true,
        }
    }

    /// `x.name` in an expression: a struct field, a registered property of
    /// the value's type (`dt.year`), or a module attribute (`math.pi`).
    fn attribute(&mut self, a: &ast::ExprAttribute) -> R<Typed<'c>> {
        if self.is_value_base(&a.value) {
            let (v, ty) = self.expr(&a.value)?;
            return self.value_attribute(a, v, ty);
        }
        let name = self.qualified(&Expr::Attribute(a.clone()))?;
        let Some(h) = self.cx.attribute(&name) else {
            let module = name.rsplit_once('.').map_or("", |(m, _)| m);
            let mut known: Vec<&str> = self
                .cx
                .all_attributes()
                .map(|h| h.name.as_str())
                .filter(|n| n.rsplit_once('.').is_some_and(|(m, _)| m == module))
                .collect();
            known.sort();
            let msg = if known.is_empty() {
                format!("unknown attribute '{name}'")
            } else {
                format!(
                    "unknown attribute '{name}'; supported attributes are: {}",
                    known.join(", ")
                )
            };
            return Err(self.err(a, msg));
        };
        let ty = h.ty;
        let b = self.b();
        Ok((b.cfunc_getattr(&name, ty.mlir(&b)), ty))
    }

    /// `.name` on the value `v` of type `ty`.
    fn value_attribute(&mut self, a: &ast::ExprAttribute, v: Value<'c>, ty: Ty) -> R<Typed<'c>> {
        let name = a.attr.id.as_str();
        // A struct's own fields first, then properties registered for it.
        if let Some(def) = ty
            .as_struct()
            .filter(|d| d.field(name).is_some() || self.cx.property(ty, name).is_none())
        {
            let f = self.field(a, def)?;
            self.set_loc(a);
            let b = self.b();
            return Ok((b.cfunc_struct_get(v, f), f.ty));
        }
        let Some(h) = self.cx.property(ty, name).cloned() else {
            let mut known = self.cx.properties_of(ty);
            known.sort();
            let methods = self.cx.methods_of(ty);
            let hint = match (known.is_empty(), methods.is_empty()) {
                (true, true) => format!("{ty} values have no attributes"),
                (true, false) => format!(
                    "{ty} values have no attributes, only methods: {}",
                    methods
                        .iter()
                        .map(|m| format!("{m}()"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                (false, _) => format!("{ty} attributes are {}", known.join(", ")),
            };
            let called = if methods.contains(&name) {
                format!("; '{name}' is a method: call it as '.{name}()'")
            } else {
                String::new()
            };
            return Err(self.err(
                a,
                format!(
                    "unknown attribute '.{name}' of {}; {hint}{called}",
                    super::a_ty(ty)
                ),
            ));
        };
        self.set_loc(a);
        let b = self.b();
        let op = b.cfunc_method(&h.qualified(), v, &[], Some(h.ty.mlir(&b)));
        Ok((op.result(0), h.ty))
    }
}

/// The comparison with its operands swapped: `a < b` is `b > a`.
fn mirror(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::LtE => CmpOp::GtE,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::GtE => CmpOp::LtE,
        other => other,
    }
}
