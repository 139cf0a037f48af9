//! Python statements → cfunc/cf control flow.
//!
//! ```text
//! if/elif/else   cond_br to one block per arm, all joining a continuation
//! while ... else header: cond_br body | else;  body → header;  break → after
//! for i in range header: i < stop (or > for negative steps); latch adds step
//! match          one test block per case, in order; `_` always matches
//! return v       cfunc.output for each ticked output, then branch to exit
//! ```

use super::codegen::{FnGen, LoopTargets};
use crate::abi::param;
use crate::diagnostics::CompileError;
use crate::dialect::builder::CmpI;
use crate::dialect::ir::{Block, Value};
use crate::dialect::types::ToMlir;
use crate::dialect::FaultCode;
use crate::types::Ty;
use ruff_python_ast::{self as ast, Expr, Pattern, Stmt};
use ruff_text_size::{Ranged, TextRange};

type R<T = ()> = Result<T, CompileError>;

const NOT_RANGE: &str =
    "for loops are supported only over range(...): `for i in range(start, stop, step)`";

impl<'c> FnGen<'c> {
    /// Lowers a suite; statements after a `return`/`break`/`continue` are
    /// unreachable and skipped, as Python never runs them.
    pub fn stmts(&mut self, body: &[Stmt]) -> R {
        for s in body {
            if self.cur.is_none() {
                break;
            }
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> R {
        self.set_loc(s);
        match s {
            Stmt::Pass(_) => Ok(()),
            Stmt::Expr(e) => self.expr_stmt(&e.value),
            Stmt::Assign(a) => self.assign(a),
            Stmt::AugAssign(a) => self.aug_assign(a),
            Stmt::AnnAssign(a) => self.ann_assign(a),
            Stmt::If(i) => self.if_stmt(i),
            Stmt::While(w) => self.while_stmt(w),
            Stmt::For(f) => self.for_stmt(f),
            Stmt::Match(m) => self.match_stmt(m),
            Stmt::Return(r) => self.return_stmt(r),
            Stmt::Break(b) => {
                let Some(l) = self.loops.last() else {
                    return Err(self.err(
                        b,
                        "'break' outside a loop: it is allowed only inside a for or while loop; use return to end the tick early",
                    ));
                };
                let to = l.break_to;
                self.br_to(to);
                Ok(())
            }
            Stmt::Continue(c) => {
                let Some(l) = self.loops.last() else {
                    return Err(self.err(
                        c,
                        "'continue' outside a loop: it is allowed only inside a for or while loop",
                    ));
                };
                let to = l.continue_to;
                self.br_to(to);
                Ok(())
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => {
                super::signature::record_import(self.cx, s, &mut self.imports);
                Ok(())
            }
            Stmt::FunctionDef(f) => Err(self.err(f, "nested function definitions are not supported; define helpers as @extern C functions or inline the logic")),
            Stmt::ClassDef(c) => Err(self.err(c, "class definitions inside a node are not supported; keep each field in its own local or state")),
            Stmt::Try(t) => Err(self.err(t, "try/except is not supported: faults stop the tick and are reported to the host")),
            Stmt::With(w) => Err(self.err(w, "'with' is not supported here: a node has no resources to manage; `with start():` and `with stop():` blocks (or csp's `with csp.start():`) are allowed only at the top level of the node's body")),
            Stmt::Global(g) => Err(self.err(g, "'global' is not supported: keep values across ticks with `name: State[T] = initial`")),
            Stmt::Nonlocal(n) => Err(self.err(n, "'nonlocal' is not supported: keep values across ticks with `name: State[T] = initial`")),
            Stmt::Raise(r) => Err(self.err(r, "'raise' is not supported: return without a value to skip the tick")),
            Stmt::Assert(a) => Err(self.err(a, "'assert' is not supported: test the condition with an if statement and return without a value to skip the tick")),
            Stmt::Delete(d) if d.targets.iter().all(|t| matches!(t, Expr::Name(_))) => Err(self.err(d, "'del' of a variable is not supported: locals last one tick; assign a new value instead")),
            Stmt::Delete(d) => {
                for t in &d.targets {
                    match t {
                        Expr::Subscript(s) => self.delete_item(s)?,
                        other => return Err(self.err(other, "'del' is supported on list and dict items: del d[k], del xs[i]")),
                    }
                }
                Ok(())
            }
            Stmt::TypeAlias(t) => Err(self.err(t, "type aliases are not supported in a node")),
            Stmt::IpyEscapeCommand(c) => Err(self.err(c, "IPython escape commands are not Python")),
        }
    }

    fn expr_stmt(&mut self, e: &Expr) -> R {
        if let Expr::Call(c) = e {
            if let Expr::Name(n) = &*c.func {
                if n.id.as_str() == "set_output" {
                    return self.set_output(c);
                }
            }
            self.set_loc(e);
            if self.extern_call(c)?.is_some() {
                return Ok(());
            }
            if let Expr::Name(n) = &*c.func {
                let name = n.id.to_string();
                if name != self.sig.function
                    && self.scope.helpers.contains_key(&name)
                    && !self.imports.contains_key(&name)
                {
                    self.helper_call(c, &name, false)?;
                    return Ok(());
                }
            }
            if self.container_call(c)?.is_some() {
                return Ok(());
            }
        }
        // A docstring or a bare constant does nothing.
        if matches!(
            e,
            Expr::StringLiteral(_) | Expr::EllipsisLiteral(_) | Expr::NumberLiteral(_)
        ) {
            return Ok(());
        }
        self.expr(e)?;
        Ok(())
    }

    fn set_output(&mut self, c: &ast::ExprCall) -> R {
        let usage = "use set_output(\"name\", value) with a name declared in Outputs(...)";
        let [Expr::StringLiteral(name), value] = &*c.arguments.args else {
            return Err(self.err(c, usage));
        };
        if !c.arguments.keywords.is_empty() {
            return Err(self.err(c, usage));
        }
        let name = name.value.to_str();
        let Some(index) = self.sig.outputs.iter().position(|o| o.name == name) else {
            let names: Vec<&str> = self.sig.outputs.iter().map(|o| o.name.as_str()).collect();
            return Err(self.err(
                &c.arguments.args[0],
                format!(
                    "no output named '{name}'; the outputs are: {}",
                    names.join(", ")
                ),
            ));
        };
        let (v, ty) = self.expr(value)?;
        self.write_output(index, v, ty, value.range())
    }

    fn write_output(&mut self, index: usize, v: Value<'c>, ty: Ty, at: TextRange) -> R {
        let out = &self.sig.outputs[index];
        let v = self.convert(v, ty, out.ty, at).map_err(|refused| {
            refused.reword(|| {
                let what = if self.sig.named_outputs {
                    format!("output '{}' is declared {}", out.name, out.ty)
                } else {
                    format!("the output is declared Signal[{}]", out.ty)
                };
                self.err(
                    &at,
                    format!(
                        "{what} but this value is {}; {}",
                        super::a_ty(ty),
                        super::convert_hint(self.cx, ty, out.ty)
                    ),
                )
            })
        })?;
        if let Ty::Struct(def) = out.ty {
            // A struct output is copied into the host's output buffer.
            let dst = self.b().cfunc_output_ptr(self.abi[param::OUTPUTS], index);
            self.copy_struct(dst, v, def);
            self.b()
                .cfunc_output_tick(self.abi[param::OUTPUT_TICKED], index);
            return Ok(());
        }
        self.b().cfunc_output(
            self.abi[param::OUTPUTS],
            self.abi[param::OUTPUT_TICKED],
            index,
            v,
        );
        Ok(())
    }

    fn assign(&mut self, a: &ast::StmtAssign) -> R {
        // Evaluate the right side once, then bind every target (`a = b = 0`).
        match (a.targets.as_slice(), &*a.value) {
            ([target], value) if self.assign_container(target, value)? => Ok(()),
            ([Expr::Subscript(s)], value) => self.assign_subscript(s, value),
            ([Expr::Attribute(t)], value) => self.assign_field(t, value),
            (targets, value) if targets.iter().all(|t| matches!(t, Expr::Name(_))) => {
                let (v, ty) = self.expr(value)?;
                for t in targets {
                    self.store_name(t, v, ty, value.range())?;
                }
                Ok(())
            }
            ([Expr::Tuple(lhs)], Expr::Tuple(rhs)) => {
                if lhs.elts.len() != rhs.elts.len() {
                    return Err(self.err(
                        a,
                        format!(
                            "cannot unpack {} values into {} names",
                            rhs.elts.len(),
                            lhs.elts.len()
                        ),
                    ));
                }
                // All right-hand values first: `a, b = b, a` swaps.
                let mut vals = Vec::new();
                for e in &rhs.elts {
                    vals.push((self.expr(e)?, e.range()));
                }
                for (t, ((v, ty), at)) in lhs.elts.iter().zip(vals) {
                    if !matches!(t, Expr::Name(_)) {
                        return Err(self.err(t, "tuple unpacking assigns to plain names only"));
                    }
                    self.store_name(t, v, ty, at)?;
                }
                Ok(())
            }
            ([Expr::Tuple(_)], v) => Err(self.err(
                v,
                "tuple unpacking needs a tuple on the right: `a, b = x, y`",
            )),
            (targets, _) => {
                let bad = targets
                    .iter()
                    .find(|t| !matches!(t, Expr::Name(_)))
                    .unwrap_or(&targets[0]);
                Err(self.err(
                    bad,
                    format!(
                        "cannot assign to '{}': assignment targets are plain names",
                        super::signature::map_text(self.map, bad)
                    ),
                ))
            }
        }
    }

    /// Binds a name: a state cell or a local. `at` is the value's source,
    /// where a type mismatch is reported.
    pub fn store_name(&mut self, target: &Expr, v: Value<'c>, ty: Ty, at: TextRange) -> R {
        let Expr::Name(n) = target else {
            return Err(self.err(target, "assignment targets are plain names"));
        };
        let name = n.id.as_str();
        if let Some(s) = self.sig.state.iter().find(|s| s.name == name) {
            let (slot, sty) = (s.slot, s.ty);
            let v = self.convert(v, ty, sty, n.range).map_err(|refused| {
                refused.reword(|| {
                    self.err(
                        &at,
                        format!(
                            "state '{name}' is declared {sty} but this value is {}; {}",
                            super::a_ty(ty),
                            super::convert_hint(self.cx, ty, sty)
                        ),
                    )
                })
            })?;
            if let Ty::Struct(def) = sty {
                // Struct state is host memory: copy the fields into it.
                let dst =
                    self.b()
                        .cfunc_state_load(self.abi[param::STATE], slot, sty.mlir(&self.b()));
                self.copy_struct(dst, v, def);
                return Ok(());
            }
            self.b().cfunc_state_store(self.abi[param::STATE], slot, v);
            return Ok(());
        }
        if self.sig.constants.iter().any(|(c, _)| c == name) && !self.assigned.contains(name) {
            return Err(self.err(
                n,
                format!("'{name}' is a constant parameter and cannot be assigned"),
            ));
        }
        self.assign_local(name, v, ty, n.range)
    }

    fn aug_assign(&mut self, a: &ast::StmtAugAssign) -> R {
        if let Expr::Subscript(s) = &*a.target {
            return self.aug_assign_subscript(a, s);
        }
        if let Expr::Attribute(t) = &*a.target {
            return self.aug_assign_field(a, t);
        }
        let Expr::Name(_) = &*a.target else {
            return Err(self.err(&*a.target, "augmented assignment targets are plain names"));
        };
        let lhs = self.expr(&a.target)?;
        let rhs = self.expr(&a.value)?;
        let (v, ty) = self.binop(a.op, lhs, rhs, a.range)?;
        self.store_name(&a.target, v, ty, a.value.range())
    }

    fn ann_assign(&mut self, a: &ast::StmtAnnAssign) -> R {
        if super::signature::is_state_annotation(&a.annotation) {
            // Declarations are hoisted: START writes the initial value.
            return Ok(());
        }
        let Expr::Name(n) = &*a.target else {
            return Err(self.err(&*a.target, "annotated assignment targets are plain names"));
        };
        if let Some(declared) = super::containers::annotation(
            self.cx,
            self.map,
            &a.annotation,
            &format!("local '{}'", n.id),
            &self.scope.constants,
        )? {
            let Some(value) = &a.value else {
                return Err(self.err(
                    a,
                    format!(
                        "local container '{}' needs a value: `{} = {}`",
                        n.id,
                        n.id,
                        super::containers::constructor_example(
                            self.cx,
                            Some(&a.annotation),
                            declared.kind()
                        )
                    ),
                ));
            };
            if !self.assign_container(&a.target, value)? {
                return Err(self.err(&**value, "this value is not a list or dict"));
            }
            let got = self.clocals[n.id.as_str()].1;
            if !declared.accepts(got) {
                return Err(self.err(
                    &**value,
                    format!(
                        "'{}' is declared {} but this value is a {got}",
                        n.id,
                        super::signature::map_text(self.map, &*a.annotation)
                    ),
                ));
            }
            return Ok(());
        }
        if let Some(s) = self.sig.state.iter().find(|s| s.name == n.id.as_str()) {
            return Err(self.err(
                &*a.annotation,
                format!(
                    "'{}' is state of type {}; assign to it without an annotation: `{} = value`",
                    s.name, s.ty, s.name
                ),
            ));
        }
        let ty = super::signature::resolve_type(
            self.cx,
            self.map,
            &a.annotation,
            &format!("local '{}'", n.id),
        )?;
        self.declare_local(n.id.as_str(), ty);
        if let Some(value) = &a.value {
            let (v, vty) = self.expr(value)?;
            let v = self.convert(v, vty, ty, value.range()).map_err(|refused| {
                refused.reword(|| {
                    self.err(
                        &**value,
                        format!(
                            "local '{}' is declared {ty} but this value is {}; {}",
                            n.id,
                            super::a_ty(vty),
                            super::convert_hint(self.cx, vty, ty)
                        ),
                    )
                })
            })?;
            self.assign_local(n.id.as_str(), v, ty, n.range)?;
        }
        Ok(())
    }

    /// Emits `cond_br` on a condition's truth value.
    fn branch_on(&mut self, test: &Expr, then: Block<'c>, otherwise: Block<'c>) -> R {
        let c = self.condition(test)?;
        self.b().cond_br(c, then, otherwise);
        self.cur = None;
        Ok(())
    }

    fn if_stmt(&mut self, i: &ast::StmtIf) -> R {
        let after = self.new_block();
        let mut arms: Vec<(Option<&Expr>, &[Stmt])> = vec![(Some(&*i.test), &i.body)];
        arms.extend(
            i.elif_else_clauses
                .iter()
                .map(|c| (c.test.as_ref(), c.body.as_slice())),
        );
        for (test, body) in arms {
            match test {
                Some(test) => {
                    let then = self.new_block();
                    let next = self.new_block();
                    self.set_loc(test);
                    self.branch_on(test, then, next)?;
                    self.cur = Some(then);
                    self.stmts(body)?;
                    self.br_to(after);
                    self.cur = Some(next);
                }
                None => {
                    self.stmts(body)?;
                    self.br_to(after);
                }
            }
        }
        self.br_to(after);
        self.cur = Some(after);
        Ok(())
    }

    fn while_stmt(&mut self, w: &ast::StmtWhile) -> R {
        let header = self.new_block();
        let body = self.new_block();
        let orelse = self.new_block();
        let after = self.new_block();
        self.br_to(header);
        self.cur = Some(header);
        self.set_loc(&*w.test);
        self.branch_on(&w.test, body, orelse)?;
        self.loop_body(body, header, after, &w.body)?;
        self.cur = Some(orelse);
        self.stmts(&w.orelse)?;
        self.br_to(after);
        self.cur = Some(after);
        Ok(())
    }

    fn loop_body(
        &mut self,
        body: Block<'c>,
        continue_to: Block<'c>,
        break_to: Block<'c>,
        stmts: &[Stmt],
    ) -> R {
        self.cur = Some(body);
        self.loops.push(LoopTargets {
            continue_to,
            break_to,
        });
        let r = self.stmts(stmts);
        self.loops.pop();
        r?;
        self.br_to(continue_to);
        Ok(())
    }

    fn for_stmt(&mut self, f: &ast::StmtFor) -> R {
        if f.is_async {
            return Err(self.err(
                f,
                "'async for' is not supported: a node runs synchronously; use `for NAME in range(...)`",
            ));
        }
        if self.for_container(f)? {
            return Ok(());
        }
        let Expr::Call(call) = &*f.iter else {
            return Err(self.err(&*f.iter, NOT_RANGE));
        };
        let is_range = matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "range");
        if !is_range {
            return Err(self.err(&*f.iter, NOT_RANGE));
        }
        let Expr::Name(_) = &*f.target else {
            return Err(self.err(
                &*f.target,
                "the loop variable of a range loop is a plain name",
            ));
        };
        let args = &call.arguments.args;
        if args.is_empty() || args.len() > 3 || !call.arguments.keywords.is_empty() {
            return Err(self.err(call, "range() takes 1 to 3 positional int arguments"));
        }
        let mut vals = Vec::new();
        for a in args.iter() {
            let (v, ty) = self.expr(a)?;
            if ty == Ty::Float {
                return Err(self.err(a, "range() arguments must be int; convert with int(...)"));
            }
            vals.push(self.convert(v, ty, Ty::Int, a.range())?);
        }
        let b = self.b();
        let (start, stop, step) = match vals.as_slice() {
            [stop] => (b.const_i64(0), *stop, b.const_i64(1)),
            [start, stop] => (*start, *stop, b.const_i64(1)),
            [start, stop, step] => (*start, *stop, *step),
            _ => unreachable!("range arity checked above"),
        };
        let step_const = args.get(2).map_or(Some(1), const_int_of);
        if step_const == Some(0) {
            return Err(self.err(&args[2], "range() step must not be zero"));
        }
        if step_const.is_none() {
            let zero = b.const_i64(0);
            let is_zero = b.cmpi(CmpI::Eq, step, zero);
            b.cfunc_check(is_zero, FaultCode::RangeStepZero);
        }
        // A hidden counter: assigning to the loop variable in the body does
        // not change the iteration, as in Python.
        let counter = self.hidden_slot(start);
        let header = self.new_block();
        let body = self.new_block();
        let latch = self.new_block();
        let orelse = self.new_block();
        let after = self.new_block();
        self.br_to(header);
        self.cur = Some(header);
        let b = self.b();
        let i = b.v("llvm.load", &[counter], b.i64(), &[]);
        let more = match step_const {
            Some(s) if s > 0 => b.cmpi(CmpI::Slt, i, stop),
            Some(_) => b.cmpi(CmpI::Sgt, i, stop),
            None => {
                let zero = b.const_i64(0);
                let up = b.cmpi(CmpI::Sgt, step, zero);
                let lt = b.cmpi(CmpI::Slt, i, stop);
                let gt = b.cmpi(CmpI::Sgt, i, stop);
                b.select(up, lt, gt)
            }
        };
        b.cond_br(more, body, orelse);
        self.cur = Some(body);
        self.store_name(&f.target, i, Ty::Int, f.target.range())?;
        self.loop_body(body_after_target(self), latch, after, &f.body)?;
        self.cur = Some(latch);
        let b = self.b();
        let i = b.v("llvm.load", &[counter], b.i64(), &[]);
        let next = b.bin("arith.addi", i, step);
        b.op("llvm.store", &[next, counter], &[], &[]);
        b.br(header, &[]);
        self.cur = Some(orelse);
        self.stmts(&f.orelse)?;
        self.br_to(after);
        self.cur = Some(after);
        Ok(())
    }

    /// A compiler-owned int slot initialised to `init` at this point.
    fn hidden_slot(&mut self, init: Value<'c>) -> Value<'c> {
        let b = self.entry_builder();
        let one = b.const_int(b.i32(), 1);
        let slot = b.v(
            "llvm.alloca",
            &[one],
            b.ptr(),
            &[("elem_type", b.type_attr(b.i64()))],
        );
        self.b().op("llvm.store", &[init, slot], &[], &[]);
        slot
    }

    fn match_stmt(&mut self, m: &ast::StmtMatch) -> R {
        let subject = self.expr(&m.subject)?;
        let after = self.new_block();
        for case in &m.cases {
            self.set_loc(&case.pattern);
            let body = self.new_block();
            let next = self.new_block();
            let matched = self.pattern_test(&case.pattern, subject)?;
            match matched {
                Some(c) => self.b().cond_br(c, body, next),
                None => self.b().br(body, &[]),
            }
            self.cur = Some(body);
            if let Some(guard) = &case.guard {
                let guarded = self.new_block();
                self.branch_on(guard, guarded, next)?;
                self.cur = Some(guarded);
            }
            self.stmts(&case.body)?;
            self.br_to(after);
            self.cur = Some(next);
        }
        self.br_to(after);
        self.cur = Some(after);
        Ok(())
    }

    /// The condition under which `p` matches, or `None` when it always does.
    fn pattern_test(&mut self, p: &Pattern, subject: (Value<'c>, Ty)) -> R<Option<Value<'c>>> {
        match p {
            Pattern::MatchValue(v) => {
                let value = self.expr(&v.value)?;
                Ok(Some(self.compare(ast::CmpOp::Eq, subject, value, v.range)?))
            }
            Pattern::MatchSingleton(s) => {
                let value = match s.value {
                    ast::Singleton::True => (self.b().const_bool(true), Ty::Bool),
                    ast::Singleton::False => (self.b().const_bool(false), Ty::Bool),
                    ast::Singleton::None => return Err(self.err(s, "a node's values are never None; match on int, float or bool literals")),
                };
                Ok(Some(self.compare(ast::CmpOp::Eq, subject, value, s.range)?))
            }
            Pattern::MatchOr(o) => {
                let mut acc: Option<Value<'c>> = None;
                for alt in &o.patterns {
                    match self.pattern_test(alt, subject)? {
                        None => return Ok(None),
                        Some(c) => acc = Some(acc.map_or(c, |a| self.b().bin("arith.ori", a, c))),
                    }
                }
                Ok(acc)
            }
            Pattern::MatchAs(a) => {
                if let Some(inner) = &a.pattern {
                    return Err(self.err(&**inner, "'pattern as name' is not supported; match on literals or `_`"));
                }
                if let Some(name) = &a.name {
                    let target = Expr::Name(ast::ExprName {
                        range: name.range,
                        node_index: Default::default(),
                        id: name.id.clone(),
                        ctx: ast::ExprContext::Store,
                    });
                    self.store_name(&target, subject.0, subject.1, name.range)?;
                }
                Ok(None)
            }
            other => Err(self.err(other, "match cases are literals (`case 1:`), alternatives (`case 1 | 2:`), constants or `_`")),
        }
    }

    fn return_stmt(&mut self, r: &ast::StmtReturn) -> R {
        if !self.inline_stack.is_empty() {
            return self.helper_return(r);
        }
        match r.value.as_deref() {
            None | Some(Expr::NoneLiteral(_)) => {}
            Some(Expr::Tuple(t)) if self.sig.named_outputs => {
                if t.elts.len() != self.sig.outputs.len() {
                    return Err(self.err(
                        t,
                        format!(
                            "this node has {} outputs but returns {} values",
                            self.sig.outputs.len(),
                            t.elts.len()
                        ),
                    ));
                }
                let mut vals = Vec::new();
                for e in &t.elts {
                    vals.push(if matches!(e, Expr::NoneLiteral(_)) {
                        None
                    } else {
                        Some((self.expr(e)?, e.range()))
                    });
                }
                for (i, v) in vals.into_iter().enumerate() {
                    if let Some(((v, ty), at)) = v {
                        self.write_output(i, v, ty, at)?;
                    }
                }
            }
            Some(e) if self.sig.named_outputs => {
                return Err(self.err(e, format!("this node has named outputs: return a tuple of {} values (None leaves one un-ticked) or use set_output", self.sig.outputs.len())));
            }
            Some(e @ Expr::Tuple(_)) => {
                return Err(self.err(e, "this node has one output: return a single value, or declare -> Outputs(name=T, ...) for several"));
            }
            Some(e) => {
                if let Some((d, key, vt)) = self.optional_get(e)? {
                    // `return d.get(k)`: Python returns None for a missing
                    // key, which leaves the output un-ticked.
                    let b = self.b();
                    let found = b.cfunc_dict_contains(d, key);
                    let hit = self.new_block();
                    let exit = self.exit;
                    b.cond_br(found, hit, exit);
                    self.cur = Some(hit);
                    let b = self.b();
                    let v = b.cfunc_dict_get(d, key, None, vt.mlir(&b));
                    self.write_output(0, v, vt, e.range())?;
                } else {
                    let (v, ty) = self.expr(e)?;
                    self.write_output(0, v, ty, e.range())?;
                }
            }
        }
        let exit = self.exit;
        self.br_to(exit);
        Ok(())
    }
}

/// The block the loop body starts in, after the loop variable was bound.
fn body_after_target<'c>(g: &FnGen<'c>) -> Block<'c> {
    g.cur.expect("loop body block is live")
}

/// The value of an int literal (with sign), if `e` is one.
fn const_int_of(e: &Expr) -> Option<i64> {
    super::literal::eval_literal(e, super::literal::Env::plain())
        .ok()
        .and_then(|v| match v {
            crate::types::ConstValue::Int(i) => Some(i),
            _ => None,
        })
}
