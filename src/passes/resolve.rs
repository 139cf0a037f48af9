//! `cfunc-resolve`: `cfunc.call` / `cfunc.getattr` → the ops of their
//! registered handlers.
//!
//! ```text
//! %r = "cfunc.call"(%x) {callee = "math.sqrt"}   ──▶   %r = math.sqrt %x
//! %p = "cfunc.getattr"() {name = "math.pi"}      ──▶   %p = arith.constant 3.14159...
//! ```
//! One pattern per op kind, which looks the op's handler up by name (for a
//! call name claimed by several handlers, the one with the lowest priority
//! number); extension patterns run before it. A call left unresolved is an
//! error at its Python location.
//!
//! Position: first. Every later pass expects calls and attributes
//! resolved, and the handlers' lowerings emit ops that later passes lower
//! (`int(x)` gives a `cfunc.check` and a `cfunc.to_int`).
//! Statistics: rewritten `cfunc.call` and `cfunc.getattr` ops.

use super::pattern::{collect_ops, PassDiag, Patterns};
use crate::dialect::ir::{Operation, Value};
use crate::dialect::ops;
use crate::registry::{
    AttributeHandler, CallHandler, CompilationContext, MethodHandler, PatternStage, PropertyHandler,
};
use crate::types::Ty;
use std::collections::HashMap;

fn ty_of_value(v: Value<'_>) -> Ty {
    let t = v.ty();
    if t.is_f64() {
        Ty::Float
    } else if t.integer_width() == Some(1) {
        Ty::Bool
    } else {
        Ty::Int
    }
}

/// A `cfunc.method` op's handler: a method call or a property read.
enum Method {
    Call(MethodHandler),
    Property(PropertyHandler),
}

/// The benefit of the built-in resolution; extension patterns get more
/// (pre-patterns run first) whatever their priority.
const BUILTIN: u32 = 1000;

fn benefit(priority: i32) -> u32 {
    (1000 - priority.clamp(-1000, 999)) as u32
}

/// Adds the extension patterns of `stage`, above every built-in one.
fn add_extension_patterns(patterns: &mut Patterns, cx: &CompilationContext, stage: PatternStage) {
    for p in cx.patterns(stage) {
        let p = p.clone();
        patterns.add(&p.op.clone(), BUILTIN + benefit(p.priority), move |rw| {
            if let Some(want) = &p.name {
                let got = rw.op.str_attr("callee").or_else(|| rw.op.str_attr("name"));
                if got.as_deref() != Some(want.as_str()) {
                    return Ok(false);
                }
            }
            (p.rewrite)(rw)
        });
    }
}

/// Runs the pass.
pub fn run<'c>(cx: &CompilationContext, module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    let mut patterns = Patterns::new(cx.mlir());
    add_extension_patterns(&mut patterns, cx, PatternStage::Pre);
    // One pattern per op kind, looking the handler up by name, rather than
    // one MLIR pattern per registered handler. Every handler stays
    // reachable: an extension pattern or a lowering may create calls the
    // frontend did not.
    let calls: HashMap<String, CallHandler> = cx
        .all_calls()
        .filter_map(|h| cx.call(&h.name).map(|best| (h.name.clone(), best.clone())))
        .collect();
    let methods: HashMap<String, Method> = cx
        .all_methods()
        .map(|h| (h.qualified(), Method::Call(h.clone())))
        .chain(
            cx.all_properties()
                .map(|h| (h.qualified(), Method::Property(h.clone()))),
        )
        .collect();
    let attributes: HashMap<String, AttributeHandler> = cx
        .all_attributes()
        .map(|h| (h.name.clone(), h.clone()))
        .collect();
    patterns.add(ops::CALL, BUILTIN, move |rw| {
        let Some(h) = rw.op.str_attr("callee").and_then(|n| calls.get(&n)) else {
            return Ok(false);
        };
        let args = rw.op.operands();
        let tys: Vec<Ty> = args.iter().map(|v| ty_of_value(*v)).collect();
        let v = (h.lower)(&rw.b, &args, &tys)?;
        rw.replace(&[v]);
        Ok(true)
    });
    patterns.add(ops::METHOD, BUILTIN, move |rw| {
        let Some(h) = rw.op.str_attr("name").and_then(|n| methods.get(&n)) else {
            return Ok(false);
        };
        let args = rw.op.operands();
        let v = match h {
            Method::Call(h) => {
                // The receiver's type is the handler's (a datetime is an
                // i64 in registers); the arguments' come from their MLIR
                // types.
                let tys: Vec<Ty> = std::iter::once(h.receiver)
                    .chain(args[1..].iter().map(|v| ty_of_value(*v)))
                    .collect();
                (h.lower)(&rw.b, &args, &tys)?
            }
            Method::Property(h) => (h.lower)(&rw.b, args[0])?,
        };
        rw.replace(&[v]);
        Ok(true)
    });
    patterns.add(ops::GETATTR, BUILTIN, move |rw| {
        let Some(h) = rw.op.str_attr("name").and_then(|n| attributes.get(&n)) else {
            return Ok(false);
        };
        let v = (h.lower)(&rw.b);
        rw.replace(&[v]);
        Ok(true)
    });
    patterns.apply(module)?;
    if cx.patterns(PatternStage::Post).next().is_some() {
        let mut post = Patterns::new(cx.mlir());
        add_extension_patterns(&mut post, cx, PatternStage::Post);
        post.apply(module)?;
    }
    let mut left = Vec::new();
    for name in [ops::CALL, ops::GETATTR, ops::METHOD] {
        for op in collect_ops(module, name) {
            let what = op
                .str_attr("callee")
                .or_else(|| op.str_attr("name"))
                .unwrap_or_default();
            left.push(PassDiag {
                loc: op.location(),
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
