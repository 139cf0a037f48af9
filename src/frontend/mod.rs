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

pub mod codegen;
mod containers;
mod expressions;
pub mod externs;
pub mod literal;
pub mod signature;
mod statements;
mod structs;

use crate::context::CompilationContext;
use crate::diagnostics::{CompileError, Result, SourceMap};
use crate::types::ConstValue;
use melior::ir::Module;
use std::collections::HashMap;

pub use signature::NodeSignature;

/// A type's name with its indefinite article, for messages: "an int", "a float".
pub(crate) fn a_ty(ty: crate::types::Ty) -> String {
    let name = ty.to_string();
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

/// How to fix a value of type `from` where `to` is expected.
pub(crate) fn convert_hint(
    cx: &CompilationContext,
    from: crate::types::Ty,
    to: crate::types::Ty,
) -> String {
    if let Some(def) = from.as_struct().or(to.as_struct()) {
        format!(
            "a struct is not a number; use one of its fields ({})",
            def.fields
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
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

/// Parses `map`'s source and lowers `function` to a cfunc-level module;
/// also returns the time spent parsing.
pub fn lower<'c>(
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
    let (f, mut scope) = signature::scan_module(cx, map, module, function)?;
    scope.externs = externs::collect(cx, map, module, function)?;
    let mut sig = signature::analyse_signature(cx, map, f, &scope, constants)?;
    let m = codegen::generate(cx, map, f, &scope, &sig)?;
    sig.externs = externs::used(cx, &scope, &m);
    Ok((m, sig, parse))
}
