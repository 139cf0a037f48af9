//! Fixed-size arrays (`NumbaArray[T, N]`, `create_new_array(T, N)`): the
//! operations on them → cfunc array ops (dialect/README.md, "Arrays").
//!
//! An array value is a handle, `!cfunc.array<T, N>`, the address of its
//! memory. Handles come from the same four places as a list's
//! (`containers.rs`), and flow through the same variables, aliases and
//! helper arguments; what differs is the memory behind them:
//! - state (`a: State[NumbaArray] = create_new_array(int, 4)`): the host's
//!   buffer behind `state[i]`, zero-filled at START;
//! - constant parameters (`w: NumbaArray[int, 3]`): static read-only data;
//! - local arrays (`a = create_new_array(float, 8)`): a slot on the stack,
//!   zero-filled where the constructor runs.
//!
//! The length is part of the type, so `len(a)` is a constant and an index
//! known at compile time is checked at compile time; any other index is
//! checked when it runs (fault 5, as for a list).

use super::codegen::FnGen;
use super::codegen::Typed;
use crate::diagnostics::CompileError;
use crate::dialect::builder::CmpI;
use crate::dialect::ir::Value;
use crate::dialect::types::ToMlir;
use crate::types::{ArrayTy, CTy, ConstValue, Ty};
use ruff_python_ast::{self as ast, Expr, Operator, UnaryOp};
use ruff_text_size::Ranged;

type R<T> = Result<T, CompileError>;

/// The largest local array, in bytes: it lives in the stack frame of the
/// node's function, which a host may run on a small thread stack.
pub const MAX_LOCAL_BYTES: usize = 64 * 1024;

impl<'c> FnGen<'c> {
    /// `create_new_array(T, N)` in the body: a new zero-filled array on the
    /// stack.
    pub(super) fn array_new(&mut self, a: ArrayTy, at: &impl Ranged) -> R<Value<'c>> {
        if a.byte_size() > MAX_LOCAL_BYTES {
            return Err(self.err(
                at,
                format!(
                    "a local array lives on the stack and holds at most {MAX_LOCAL_BYTES} bytes; this one needs {} ({} × {}); declare it as state (`a: State[NumbaArray] = create_new_array(...)`), which the host holds",
                    a.byte_size(),
                    a.length,
                    a.elem_size()
                ),
            ));
        }
        self.set_loc(at);
        let b = self.b();
        Ok(b.cfunc_array_new(CTy::Array(a).mlir(&b)))
    }

    /// An index into array `a` as an `i64`: an index known at compile time
    /// must lie in `-N .. N` (a located error otherwise); any other one is
    /// checked where it runs.
    pub(super) fn array_index(&mut self, e: &Expr, a: ArrayTy) -> R<Value<'c>> {
        if let Some(k) = self.static_int(e) {
            let n = a.length as i64;
            if !(-n..n).contains(&k) {
                return Err(self.err(
                    e,
                    format!(
                        "array index {k} is out of range for an array of length {n}: a constant index must lie in {} .. {} (negative indices count from the end); an index computed at run time is checked when it runs (fault 5)",
                        -n,
                        n - 1
                    ),
                ));
            }
        }
        self.array_index_operand(e)
    }

    fn array_index_operand(&mut self, e: &Expr) -> R<Value<'c>> {
        let (v, ty) = self.expr(e)?;
        if ty.payload() == Ty::Float || !ty.is_numeric() {
            return Err(self.err(
                e,
                format!(
                    "array indices must be int, not {}; convert with int(...)",
                    super::a_ty(ty)
                ),
            ));
        }
        Ok(self.convert(v, ty, Ty::Int, e.range())?)
    }

    /// `a[i]`.
    pub(super) fn array_get(
        &mut self,
        s: &ast::ExprSubscript,
        v: Value<'c>,
        a: ArrayTy,
    ) -> R<Typed<'c>> {
        let i = self.array_index(&s.slice, a)?;
        self.set_loc(s);
        let b = self.b();
        Ok((b.cfunc_array_get(v, i, a.elem.mlir(&b)), a.elem))
    }

    /// `len(a)`, `sum(a)`, `min(a)`, `max(a)`.
    pub(super) fn array_builtin(&mut self, f: &str, v: Value<'c>, a: ArrayTy) -> Typed<'c> {
        let b = self.b();
        if f == "len" {
            return (b.const_i64(a.length as i64), Ty::Int);
        }
        let rt = if f == "sum" && a.elem == Ty::Bool {
            Ty::Int
        } else {
            a.elem
        };
        let r = b.cfunc_array_reduce(v, f, rt.mlir(&b));
        (r, rt)
    }

    /// A method call on an array: `a.clear()` zero-fills it.
    pub(super) fn array_method(
        &mut self,
        c: &ast::ExprCall,
        attr: &ast::ExprAttribute,
        v: Value<'c>,
    ) -> R<Option<Typed<'c>>> {
        match attr.attr.id.as_str() {
            "clear" => {
                if !c.arguments.is_empty() {
                    return Err(self.err(c, "wrong number of arguments: use a.clear()"));
                }
                self.set_loc(c);
                self.b().cfunc_array_clear(v);
                Ok(None)
            }
            other => {
                let why = if matches!(other, "append" | "pop" | "insert" | "extend" | "remove") {
                    "; an array has a fixed length"
                } else {
                    ""
                };
                Err(self.err(
                    attr,
                    format!("arrays have no method '{other}' here{why}; supported: clear (zero-fills), and a[i], len(a), for v in a, sum/min/max(a)"),
                ))
            }
        }
    }

    /// `for v in a`: a loop over the indices `0 .. N`.
    pub(super) fn for_array(&mut self, f: &ast::StmtFor, v: Value<'c>, a: ArrayTy) -> R<()> {
        let Expr::Name(_) = &*f.target else {
            return Err(self.err(
                &*f.target,
                "the loop variable of an array loop is a plain name",
            ));
        };
        let b = self.b();
        let header = self.new_block_with_arg(b.i64());
        let body = self.new_block();
        let latch = self.new_block_with_arg(b.i64());
        let orelse = self.new_block();
        let after = self.new_block();
        let zero = b.const_i64(0);
        b.br(header, &[zero]);
        self.cur = Some(header);
        let b = self.b();
        let i = header.argument(0);
        let n = b.const_i64(a.length as i64);
        let more = b.cmpi(CmpI::Slt, i, n);
        b.cond_br(more, body, orelse);
        self.cur = Some(body);
        let b = self.b();
        let x = b.cfunc_array_get(v, i, a.elem.mlir(&b));
        self.store_name(&f.target, x, a.elem, f.target.range())?;
        let one = self.b().const_i64(1);
        let next = self.b().bin("arith.addi", i, one);
        self.loop_with_latch(latch, next, after, &f.body)?;
        self.cur = Some(latch);
        let i = latch.argument(0);
        self.b().br(header, &[i]);
        self.cur = Some(orelse);
        self.stmts(&f.orelse)?;
        self.br_to(after);
        self.cur = Some(after);
        Ok(())
    }

    /// The value of an int expression known at compile time, for array
    /// indices: int and bool literals, module-level constants and constant
    /// parameters the body does not assign, `len` of an array, and `+`,
    /// `-`, `*`, `//`, `%` (with Python's signs) and unary `-`/`+` of
    /// those. `None` for anything else, and where int64 would overflow.
    pub(super) fn static_int(&self, e: &Expr) -> Option<i64> {
        match e {
            Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) => {
                match super::literal::eval_literal(e, super::literal::Env::plain()).ok()? {
                    ConstValue::Int(i) => Some(i),
                    ConstValue::Bool(b) => Some(b as i64),
                    _ => None,
                }
            }
            Expr::Name(n) => {
                let name = n.id.as_str();
                if self.assigned.contains(name)
                    || self.inlined_locals.contains(name)
                    || self.inputs.contains_key(name)
                    || self.sig.state.iter().any(|s| s.name == name)
                {
                    return None;
                }
                let c = self
                    .sig
                    .constants
                    .iter()
                    .find(|(c, _)| c == name)
                    .map(|(_, v)| v)
                    .or_else(|| self.scope.constants.get(name))?;
                match c {
                    ConstValue::Int(i) => Some(*i),
                    ConstValue::Bool(b) => Some(*b as i64),
                    _ => None,
                }
            }
            Expr::UnaryOp(u) => {
                let v = self.static_int(&u.operand)?;
                match u.op {
                    UnaryOp::USub => v.checked_neg(),
                    UnaryOp::UAdd => Some(v),
                    _ => None,
                }
            }
            Expr::BinOp(b) => {
                let (l, r) = (self.static_int(&b.left)?, self.static_int(&b.right)?);
                match b.op {
                    Operator::Add => l.checked_add(r),
                    Operator::Sub => l.checked_sub(r),
                    Operator::Mult => l.checked_mul(r),
                    Operator::FloorDiv if r != 0 => {
                        let q = l.checked_div(r)?;
                        Some(if (l % r != 0) && ((l < 0) != (r < 0)) {
                            q - 1
                        } else {
                            q
                        })
                    }
                    Operator::Mod if r != 0 => {
                        let m = l.checked_rem(r)?;
                        Some(if m != 0 && ((m < 0) != (r < 0)) {
                            m + r
                        } else {
                            m
                        })
                    }
                    _ => None,
                }
            }
            Expr::Call(c) => {
                let (Expr::Name(f), [arg]) = (&*c.func, &c.arguments.args[..]) else {
                    return None;
                };
                if f.id.as_str() != "len" || !c.arguments.keywords.is_empty() {
                    return None;
                }
                self.static_array_type(arg).map(|a| a.length as i64)
            }
            _ => None,
        }
    }

    /// The array type of a name that holds an array, without emitting
    /// anything.
    pub(super) fn static_array_type(&self, e: &Expr) -> Option<ArrayTy> {
        let Expr::Name(n) = e else { return None };
        let n = n.id.as_str();
        let ty = self
            .cstate
            .get(n)
            .map(|c| c.1)
            .or_else(|| self.cconst.get(n).map(|c| c.1))
            .or_else(|| self.clocals.get(n).map(|c| c.1))?;
        ty.as_array()
    }
}
