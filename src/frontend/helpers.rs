//! Calls of module-level Python functions (helpers; the seed's
//! `@numba_method`): each call is inlined into the node.
//!
//! A call binds the arguments to the helper's parameters (positional,
//! keywords, defaults), then lowers the helper's body in place with every
//! local of the helper renamed `helper.local` (`helper#2.local` at its second
//! call site), so its locals never meet the node's and each call site types
//! them from its own arguments (an untyped parameter takes the argument's
//! type). Containers and structs are passed by reference, as Python passes
//! objects: a helper that appends to a list argument appends to the
//! caller's list. `return v` stores into the call's result and jumps past
//! the body. A helper sees its parameters, its locals, module constants,
//! imports and the other helpers, never the node's inputs, state or locals
//! (Python scoping); calling itself, directly or not, is a located error.

use super::codegen::{assigned_names, FnGen};
use crate::dialect::builder::Builder;
use crate::dialect::ir::{Block, Value};
use crate::types::Ty;
use ruff_python_ast::visitor::transformer::{self, Transformer};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::Ranged;
use std::collections::HashSet;

type R<T = ()> = Result<T, crate::diagnostics::CompileError>;

/// Helper calls nest at most this deep.
const MAX_DEPTH: usize = 32;

/// One helper call being inlined.
pub struct InlineFrame<'c> {
    /// The helper's name.
    pub helper: String,
    /// The local that holds the call's result.
    pub result: String,
    /// Where `return` jumps.
    pub exit: Block<'c>,
}

/// Renames the helper's locals to `prefix.name`.
struct Rename<'a> {
    locals: &'a HashSet<String>,
    prefix: &'a str,
}

impl Transformer for Rename<'_> {
    fn visit_expr(&self, expr: &mut Expr) {
        if let Expr::Name(n) = expr {
            if self.locals.contains(n.id.as_str()) {
                n.id = format!("{}.{}", self.prefix, n.id).into();
            }
        }
        transformer::walk_expr(self, expr);
    }
}

/// The names a body reads (`Load` names), with where.
struct Reads(Vec<(String, ruff_text_size::TextRange)>);

impl<'a> Visitor<'a> for Reads {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            if n.ctx == ExprContext::Load {
                self.0.push((n.id.to_string(), n.range));
            }
        }
        visitor::walk_expr(self, expr);
    }
}

impl<'c> FnGen<'c> {
    /// Inlines the call `c` of helper `name`. With `want_value`, the call's
    /// value is its result (the helper must end with `return VALUE`);
    /// without, the call is a statement and returns `None`.
    pub(super) fn helper_call(
        &mut self,
        c: &ast::ExprCall,
        name: &str,
        want_value: bool,
    ) -> R<Option<(Value<'c>, Ty)>> {
        if let Some(i) = self.inline_stack.iter().position(|f| f.helper == name) {
            let chain: Vec<&str> = self.inline_stack[i..]
                .iter()
                .map(|f| f.helper.as_str())
                .chain([name])
                .collect();
            return Err(self.err(
                c,
                format!(
                    "recursion is not supported: {} (helpers are inlined; write the recursion as a loop)",
                    chain.join(" -> ")
                ),
            ));
        }
        if self.inline_stack.len() >= MAX_DEPTH {
            return Err(self.err(c, format!("helper calls nest more than {MAX_DEPTH} deep")));
        }
        let def = self.scope.helpers[name].clone();
        let params = &def.parameters;
        if params.vararg.is_some()
            || params.kwarg.is_some()
            || !params.posonlyargs.is_empty()
            || !params.kwonlyargs.is_empty()
        {
            return Err(self.err(
                &def.name,
                format!("helper '{name}': only plain parameters (with or without defaults) are supported, not *args, **kwargs, / or keyword-only ones"),
            ));
        }
        let bad_stmt = find_stmt(&def.body, &|s| match s {
            Stmt::AnnAssign(a) => super::signature::is_state_annotation(&a.annotation),
            Stmt::Global(_) | Stmt::Nonlocal(_) => true,
            _ => false,
        });
        if let Some(s) = bad_stmt {
            return Err(self.err(
                s,
                format!("helper '{name}': State declarations and global/nonlocal belong to the node; pass the value as an argument"),
            ));
        }
        if want_value && !matches!(def.body.last(), Some(Stmt::Return(r)) if r.value.is_some()) {
            return Err(self.err(
                c,
                format!("the value of '{name}(...)' is used, but '{name}' can end without returning one; end it with `return VALUE`"),
            ));
        }
        // The helper's locals: its parameters and what its body assigns.
        let param_names: Vec<String> = params
            .args
            .iter()
            .map(|p| p.parameter.name.id.to_string())
            .collect();
        let mut locals = assigned_names(&def.body);
        locals.extend(param_names.iter().cloned());
        // Names it reads that are neither its own nor module-level: in
        // Python they would be the node's, which a helper cannot see.
        let mut reads = Reads(Vec::new());
        for s in &def.body {
            reads.visit_stmt(s);
        }
        for (n, at) in &reads.0 {
            let module_level = self.scope.constants.contains_key(n)
                || self.imports.contains_key(n)
                || self.scope.helpers.contains_key(n)
                || self.cx.call(n).is_some()
                || self.cx.container_constructor(n).is_some();
            let nodes = self.inputs.contains_key(n)
                || self.sig.state.iter().any(|s| &s.name == n)
                || self.sig.constants.iter().any(|(c, _)| c == n)
                || self.assigned.contains(n);
            if !locals.contains(n) && !module_level && nodes {
                return Err(self.err(
                    at,
                    format!("helper '{name}' reads '{n}', which belongs to the node '{}'; pass it as an argument", self.sig.function),
                ));
            }
        }
        let site = {
            let n = self.inline_sites.entry(name.to_string()).or_insert(0);
            *n += 1;
            *n
        };
        let prefix = if site == 1 {
            name.to_string()
        } else {
            format!("{name}#{site}")
        };
        let mangled = |local: &str| format!("{prefix}.{local}");
        // Bind the arguments, evaluated left to right in the caller.
        let args = &c.arguments;
        if args.args.len() > param_names.len() {
            return Err(self.err(
                c,
                format!(
                    "'{name}' takes {} arguments, {} given",
                    param_names.len(),
                    args.args.len()
                ),
            ));
        }
        let mut given: Vec<Option<&Expr>> = vec![None; param_names.len()];
        for (i, a) in args.args.iter().enumerate() {
            if matches!(a, Expr::Starred(_)) {
                return Err(self.err(a, "*arguments are not supported in helper calls"));
            }
            given[i] = Some(a);
        }
        for k in args.keywords.iter() {
            let Some(arg) = &k.arg else {
                return Err(self.err(k, "**arguments are not supported in helper calls"));
            };
            let Some(i) = param_names.iter().position(|p| p == arg.as_str()) else {
                return Err(self.err(
                    k,
                    format!(
                        "'{name}' has no parameter named '{arg}'; its parameters are: {}",
                        param_names.join(", ")
                    ),
                ));
            };
            if given[i].is_some() {
                return Err(self.err(k, format!("'{name}' got two values for '{arg}'")));
            }
            given[i] = Some(&k.value);
        }
        let mut bound = Vec::new();
        for (i, p) in params.args.iter().enumerate() {
            let e = match (given[i], p.default.as_deref()) {
                (Some(e), _) => e,
                (None, Some(d)) => d,
                (None, None) => {
                    return Err(self.err(
                        c,
                        format!("'{name}' misses its argument '{}'", param_names[i]),
                    ))
                }
            };
            if self.is_container_expr(e) {
                let Some(cv) = self.container(e)? else {
                    return Err(self.err(e, "this container cannot be passed to a helper"));
                };
                bound.push((i, Binding::Container(cv.v, cv.ty, cv.readonly), e.range()));
            } else {
                let (v, ty) = self.expr(e)?;
                bound.push((i, Binding::Value(v, ty), e.range()));
            }
        }
        for (i, b, at) in bound {
            let local = mangled(&param_names[i]);
            self.inlined_locals.insert(local.clone());
            match b {
                Binding::Container(v, ty, true) => {
                    self.cconst.insert(local, (v, ty));
                }
                Binding::Container(v, ty, false) => {
                    self.cstate.insert(local, (v, ty));
                }
                Binding::Value(v, ty) => self.assign_local(&local, v, ty, at)?,
            }
        }
        for l in &locals {
            self.inlined_locals.insert(mangled(l));
        }
        // The body, renamed, in place; `return` jumps to `exit`.
        let mut body = def.body.clone();
        let rename = Rename {
            locals: &locals,
            prefix: &prefix,
        };
        for s in body.iter_mut() {
            rename.visit_stmt(s);
        }
        let result = format!("{prefix}.<result>");
        self.inlined_locals.insert(result.clone());
        let exit = self.new_block();
        self.inline_stack.push(InlineFrame {
            helper: name.to_string(),
            result: result.clone(),
            exit,
        });
        // `break`/`continue` in the helper are its own loops' only.
        let loops = std::mem::take(&mut self.loops);
        let lowered = self.stmts(&body);
        self.loops = loops;
        self.inline_stack.pop();
        lowered?;
        self.br_to(exit);
        self.cur = Some(exit);
        if !want_value {
            return Ok(None);
        }
        let Some((slot, ty)) = self.locals.get(&result).copied() else {
            return Err(self.err(c, format!("'{name}(...)' returns no value on any path")));
        };
        let b = self.b();
        let v = b.v(
            "llvm.load",
            &[slot],
            crate::dialect::types::ToMlir::mlir(ty, &b),
            &[],
        );
        Ok(Some((v, ty)))
    }

    /// `return` inside an inlined helper: the call's result, then past the
    /// body.
    pub(super) fn helper_return(&mut self, r: &ast::StmtReturn) -> R {
        let frame = self.inline_stack.last().expect("inside a helper");
        let (result, exit) = (frame.result.clone(), frame.exit);
        if let Some(e) = r.value.as_deref() {
            if matches!(e, Expr::NoneLiteral(_)) {
                return Err(self.err(
                    e,
                    "a helper returns a value or nothing; `return None` has no typed value",
                ));
            }
            if self.is_container_expr(e) {
                return Err(self.err(e, "a helper cannot return a list or dict; pass the container in and change it there"));
            }
            let (v, ty) = self.expr(e)?;
            self.assign_local(&result, v, ty, e.range())?;
        }
        if let Some(cur) = self.cur {
            Builder::at_end(cur, self.loc).br(exit, &[]);
        }
        self.cur = None;
        Ok(())
    }
}

enum Binding<'c> {
    Value(Value<'c>, Ty),
    Container(Value<'c>, crate::types::CTy, bool),
}

/// The first statement of `body`, at any depth, that `pred` accepts.
fn find_stmt<'a>(body: &'a [Stmt], pred: &dyn Fn(&Stmt) -> bool) -> Option<&'a Stmt> {
    body.iter().find_map(|s| {
        if pred(s) {
            return Some(s);
        }
        match s {
            Stmt::If(i) => find_stmt(&i.body, pred).or_else(|| {
                i.elif_else_clauses
                    .iter()
                    .find_map(|c| find_stmt(&c.body, pred))
            }),
            Stmt::For(f) => find_stmt(&f.body, pred).or_else(|| find_stmt(&f.orelse, pred)),
            Stmt::While(w) => find_stmt(&w.body, pred).or_else(|| find_stmt(&w.orelse, pred)),
            Stmt::Match(m) => m.cases.iter().find_map(|c| find_stmt(&c.body, pred)),
            _ => None,
        }
    })
}
