//! `cfunc-resolve`: `cfunc.call` / `cfunc.getattr` → the ops of their
//! registered handlers.
//!
//! ```text
//! %r = "cfunc.call"(%x) {callee = "math.sqrt"}   ──▶   %r = math.sqrt %x
//! %p = "cfunc.getattr"() {name = "math.pi"}      ──▶   %p = arith.constant 3.14159...
//! ```
//! One pattern per registered handler, with benefit from its priority
//! (lower priority number = higher benefit = tried first). A call left
//! unresolved is an error at its Python location.
//!
//! Position: first. Every later pass expects calls and attributes
//! resolved, and the handlers' lowerings emit ops that later passes lower
//! (`int(x)` gives a `cfunc.check` and a `cfunc.to_int`).
//! Statistics: rewritten `cfunc.call` and `cfunc.getattr` ops.

use super::pattern::{collect_ops, PassDiag, Patterns};
use crate::context::{CompilationContext, PatternStage};
use crate::dialect::builder::{operands_of, str_attr_value, type_of};
use crate::types::Ty;
use mlir_sys::*;

fn ty_of_value(v: MlirValue) -> Ty {
    let t = type_of(v);
    unsafe {
        if mlirTypeIsAF64(t) {
            Ty::Float
        } else if mlirIntegerTypeGetWidth(t) == 1 {
            Ty::Bool
        } else {
            Ty::Int
        }
    }
}

fn benefit(priority: i32) -> u32 {
    (1000 - priority.clamp(-1000, 999)) as u32
}

/// Adds the extension patterns of `stage`, above every built-in one.
fn add_extension_patterns(patterns: &mut Patterns, cx: &CompilationContext, stage: PatternStage) {
    for p in cx.patterns(stage) {
        let p = p.clone();
        patterns.add(&p.op.clone(), 1000 + benefit(p.priority), move |rw| {
            if let Some(want) = &p.name {
                let got = str_attr_value(rw.op, "callee").or_else(|| str_attr_value(rw.op, "name"));
                if got.as_deref() != Some(want.as_str()) {
                    return Ok(false);
                }
            }
            (p.rewrite)(rw)
        });
    }
}

/// Runs the pass.
pub fn run(cx: &CompilationContext, module: MlirOperation) -> Result<(), Vec<PassDiag>> {
    let mut patterns = Patterns::new(cx.mlir());
    add_extension_patterns(&mut patterns, cx, PatternStage::Pre);
    for h in cx.all_calls() {
        let h = h.clone();
        patterns.add("cfunc.call", benefit(h.priority), move |rw| {
            if str_attr_value(rw.op, "callee").as_deref() != Some(h.name.as_str()) {
                return Ok(false);
            }
            let args = operands_of(rw.op);
            let tys: Vec<Ty> = args.iter().map(|v| ty_of_value(*v)).collect();
            let v = (h.lower)(&rw.b, &args, &tys)?;
            rw.replace(&[v]);
            Ok(true)
        });
    }
    for h in cx.all_methods() {
        let h = h.clone();
        let name = h.qualified();
        patterns.add("cfunc.method", 1000, move |rw| {
            if str_attr_value(rw.op, "name").as_deref() != Some(name.as_str()) {
                return Ok(false);
            }
            let args = operands_of(rw.op);
            // The receiver's type is the handler's (a datetime is an i64
            // in registers); the arguments' come from their MLIR types.
            let tys: Vec<Ty> = std::iter::once(h.receiver)
                .chain(args[1..].iter().map(|v| ty_of_value(*v)))
                .collect();
            let v = (h.lower)(&rw.b, &args, &tys)?;
            rw.replace(&[v]);
            Ok(true)
        });
    }
    for h in cx.all_properties() {
        let h = h.clone();
        let name = h.qualified();
        patterns.add("cfunc.method", 1000, move |rw| {
            if str_attr_value(rw.op, "name").as_deref() != Some(name.as_str()) {
                return Ok(false);
            }
            let v = (h.lower)(&rw.b, operands_of(rw.op)[0])?;
            rw.replace(&[v]);
            Ok(true)
        });
    }
    for h in cx.all_attributes() {
        let h = h.clone();
        patterns.add("cfunc.getattr", 1000, move |rw| {
            if str_attr_value(rw.op, "name").as_deref() != Some(h.name.as_str()) {
                return Ok(false);
            }
            let v = (h.lower)(&rw.b);
            rw.replace(&[v]);
            Ok(true)
        });
    }
    patterns.apply(module)?;
    if cx.patterns(PatternStage::Post).next().is_some() {
        let mut post = Patterns::new(cx.mlir());
        add_extension_patterns(&mut post, cx, PatternStage::Post);
        post.apply(module)?;
    }
    let mut left = Vec::new();
    for name in ["cfunc.call", "cfunc.getattr", "cfunc.method"] {
        for op in collect_ops(module, name) {
            let what = str_attr_value(op, "callee")
                .or_else(|| str_attr_value(op, "name"))
                .unwrap_or_default();
            left.push(PassDiag {
                loc: unsafe { mlirOperationGetLocation(op) },
                message: format!("no registered handler resolves '{what}'"),
            });
        }
    }
    if left.is_empty() {
        Ok(())
    } else {
        Err(left)
    }
}
