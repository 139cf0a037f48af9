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
pub(crate) fn convert_hint(from: crate::types::Ty, to: crate::types::Ty) -> String {
    if let Some(def) = from.as_struct().or(to.as_struct()) {
        format!(
            "a struct is not a number; use one of its fields ({})",
            def.fields
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else if let Some(s) = [from, to]
        .into_iter()
        .find(|t| matches!(t, crate::types::Ty::Scalar(_)))
    {
        format!("{s} mixes only with its own type, unless its type handler converts other values (lower_assign)")
    } else if from.is_temporal() || to.is_temporal() {
        "a datetime or timedelta only mixes with its own type (datetime - datetime is a timedelta, timedelta / timedelta a float)".into()
    } else {
        format!("convert it explicitly with {to}(...)")
    }
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
