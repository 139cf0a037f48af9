//! Python source → cfunc dialect.
//!
//! ```text
//! source ──ruff_python_parser──▶ AST ──signature.rs──▶ NodeSignature
//!                                     ──codegen.rs───▶ func.func @node.{start,execute,stop}
//!                                                      + cfunc.lifecycle
//! ```
//! `statements.rs` lowers Python statements (if, while, for, match, return),
//! `expressions.rs` lowers expressions. Names the frontend does not know
//! (calls, module attributes) become `cfunc.call` / `cfunc.getattr`, which
//! the registered patterns of `cfunc-resolve` lower.

mod arrays;
pub mod codegen;
mod containers;
mod cpython_rules;
mod expressions;
pub mod externs;
mod helpers;
pub mod literal;
pub mod signature;
mod statements;
mod structs;

use crate::diagnostics::{CompileError, Result, SourceMap};
use crate::registry::CompilationContext;
use crate::types::ConstValue;
use melior::ir::Module;
use std::collections::HashMap;

pub use signature::NodeSignature;

pub(crate) use crate::types::a_ty;

/// How to fix a value of type `from` where `to` is expected.
pub(crate) fn convert_hint(
    cx: &CompilationContext,
    from: crate::types::Ty,
    to: crate::types::Ty,
) -> String {
    if let Some(def) = from.as_struct().or(to.as_struct()) {
        format!(
            "a struct is not a number; use one of its fields ({})",
            def.field_names()
        )
    } else if let Some(s) = [from, to].into_iter().find(|t| t.is_opaque()) {
        // How a value of the wanted type is made from `s`'s operations.
        let makers: Vec<String> = cx
            .all_binops()
            .filter(|r| r.result == to && [r.lhs, r.rhs, r.result].contains(&s))
            .map(|r| format!("{} {} {}", r.lhs, r.op.as_str(), r.rhs))
            .collect();
        let shown = makers
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        match makers.len() {
            0 => format!("{s} mixes only with its own type"),
            n => format!(
                "{s} mixes only with its own type; {} comes from {shown}{}",
                a_ty(to),
                if n > 4 { ", ..." } else { "" }
            ),
        }
    } else {
        format!("convert it explicitly with {to}(...)")
    }
}

/// What a scalar type offers where a number is wanted, for messages:
/// "timedelta has the methods total_seconds and the attributes days, ...;
/// timedelta / timedelta is a float".
pub(crate) fn offers(cx: &CompilationContext, ty: crate::types::Ty) -> String {
    let sorted = |mut names: Vec<&str>| -> String {
        names.sort();
        names.join(", ")
    };
    let (methods, attributes) = (sorted(cx.methods_of(ty)), sorted(cx.properties_of(ty)));
    let mut has = Vec::new();
    if !methods.is_empty() {
        has.push(format!("the methods {methods}"));
    }
    if !attributes.is_empty() {
        has.push(format!("the attributes {attributes}"));
    }
    let numbers: Vec<String> = cx
        .binops_of(ty)
        .filter(|r| r.result.is_numeric())
        .map(|r| {
            format!(
                "{} {} {} is {}",
                r.lhs,
                r.op.as_str(),
                r.rhs,
                a_ty(r.result)
            )
        })
        .collect();
    let mut out = if has.is_empty() {
        format!("{ty} has no methods or attributes")
    } else {
        format!("{ty} has {}", has.join(" and "))
    };
    if !numbers.is_empty() {
        out += &format!("; {}", numbers.join(", "));
    }
    out
}

/// How deeply expressions, statements and patterns may nest in a module:
/// `x + x + ... + x` with N terms nests N - 1 `BinOp`s, `x ** x ** ...`
/// likewise, and so does a chain of conditional expressions. Deeper is a
/// located "too deeply nested" error. The frontend walks the AST
/// recursively, a few KiB of stack per level in a debug build, so this
/// keeps the frontend well inside [`crate::COMPILE_STACK`]; it admits more
/// than CPython 3.11 compiles (`x + x + ...` with 5,000 terms is a
/// RecursionError there).
pub const MAX_NESTING: usize = 25_000;

/// Rejects a module nested deeper than [`MAX_NESTING`], at the first node
/// beyond it. The walk itself recurses with the AST, so it grows its stack
/// on the heap as it goes (`stacker`), whatever the stack it starts on.
fn check_nesting(map: &SourceMap, body: &[ruff_python_ast::Stmt]) -> Result<()> {
    use ruff_python_ast::visitor::{walk_expr, walk_pattern, walk_stmt, Visitor};
    use ruff_python_ast::{Expr, Pattern, Stmt};
    use ruff_text_size::{Ranged, TextSize};

    #[derive(Default)]
    struct Depth {
        depth: usize,
        too_deep: Option<(TextSize, &'static str)>,
    }
    impl Depth {
        fn enter(&mut self, at: TextSize, what: &'static str, walk: impl FnOnce(&mut Self)) {
            if self.too_deep.is_some() {
                return;
            }
            self.depth += 1;
            if self.depth > MAX_NESTING {
                self.too_deep = Some((at, what));
            } else {
                stacker::maybe_grow(64 * 1024, 1024 * 1024, || walk(self));
            }
            self.depth -= 1;
        }
    }
    impl<'a> Visitor<'a> for Depth {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            self.enter(s.start(), "statement", |v| walk_stmt(v, s));
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            self.enter(e.start(), "expression", |v| walk_expr(v, e));
        }
        fn visit_pattern(&mut self, p: &'a Pattern) {
            self.enter(p.start(), "pattern", |v| walk_pattern(v, p));
        }
    }
    let mut d = Depth::default();
    d.visit_body(body);
    match d.too_deep {
        None => Ok(()),
        Some((at, what)) => Err(CompileError::at(
            map,
            at.to_usize(),
            format!("{what} too deeply nested (more than {MAX_NESTING} levels)"),
        )
        .into()),
    }
}

/// Parses `map`'s source and lowers `function` to a cfunc-level module;
/// also returns the time spent parsing. Runs on a stack of
/// [`crate::COMPILE_STACK`] (see [`crate::with_compile_stack`]).
pub fn lower<'c>(
    cx: &'c CompilationContext,
    map: &SourceMap,
    function: &str,
    constants: &HashMap<String, ConstValue>,
) -> Result<(Module<'c>, NodeSignature, std::time::Duration)> {
    crate::stack::with_compile_stack(|| lower_on_stack(cx, map, function, constants))
}

fn lower_on_stack<'c>(
    cx: &'c CompilationContext,
    map: &SourceMap,
    function: &str,
    constants: &HashMap<String, ConstValue>,
) -> Result<(Module<'c>, NodeSignature, std::time::Duration)> {
    let t = std::time::Instant::now();
    let parsed = ruff_python_parser::parse_module(&map.text).map_err(|e| {
        CompileError::at(
            map,
            e.location.start().to_usize(),
            format!("syntax error: {}", e.error),
        )
    })?;
    let parse = t.elapsed();
    let module = parsed.syntax();
    check_nesting(map, &module.body)?;
    cpython_rules::check(map, &module.body)?;
    let (f, mut scope) = signature::scan_module(cx, map, module, function)?;
    scope.externs = externs::collect(cx, map, module, function)?;
    let mut sig = signature::analyse_signature(cx, map, f, &scope, constants)?;
    let m = codegen::generate(cx, map, f, &scope, &sig)?;
    sig.externs = externs::used(cx, &scope, &m);
    Ok((m, sig, parse))
}
