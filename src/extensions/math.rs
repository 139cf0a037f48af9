//! The `math` module: functions and constants.
//!
//! Table-driven: each function names the MLIR op (or libm symbol) it lowers
//! to. Arguments are converted to float as Python's math module does.
//! Domain errors (`math.sqrt(-1)`, `math.log(0)`) give NaN or ±inf as IEEE
//! does, where CPython raises ValueError.

use super::builtins::{arity, checked_to_int, register_fn, to_float};
use crate::dialect::builder::{Builder, CmpF};
use crate::dialect::ir::Value;
use crate::registry::{AttributeHandler, CompilationContext};
use crate::types::Ty;
use std::sync::Arc;

/// How a float function lowers.
#[derive(Clone, Copy)]
enum Lowering {
    /// An MLIR op taking and returning f64 (`math.sqrt`).
    Op(&'static str),
    /// A libm function, called through `func.call`.
    Libm(&'static str),
}

/// Float functions: Python name, arity, lowering.
const FLOAT_FUNCS: &[(&str, usize, Lowering)] = &[
    ("sqrt", 1, Lowering::Op("math.sqrt")),
    ("exp", 1, Lowering::Op("math.exp")),
    ("exp2", 1, Lowering::Op("math.exp2")),
    ("expm1", 1, Lowering::Libm("expm1")),
    ("log2", 1, Lowering::Op("math.log2")),
    ("log10", 1, Lowering::Op("math.log10")),
    ("log1p", 1, Lowering::Libm("log1p")),
    ("fabs", 1, Lowering::Op("math.absf")),
    ("sin", 1, Lowering::Op("math.sin")),
    ("cos", 1, Lowering::Op("math.cos")),
    ("tan", 1, Lowering::Libm("tan")),
    ("asin", 1, Lowering::Libm("asin")),
    ("acos", 1, Lowering::Libm("acos")),
    ("atan", 1, Lowering::Libm("atan")),
    ("sinh", 1, Lowering::Libm("sinh")),
    ("cosh", 1, Lowering::Libm("cosh")),
    ("tanh", 1, Lowering::Libm("tanh")),
    ("cbrt", 1, Lowering::Libm("cbrt")),
    ("erf", 1, Lowering::Libm("erf")),
    ("erfc", 1, Lowering::Libm("erfc")),
    ("pow", 2, Lowering::Op("math.powf")),
    ("atan2", 2, Lowering::Libm("atan2")),
    ("hypot", 2, Lowering::Libm("hypot")),
    ("copysign", 2, Lowering::Op("math.copysign")),
    ("fmod", 2, Lowering::Op("arith.remf")),
];

/// Functions of a float that return int (Python's floor, ceil, trunc).
const TO_INT_FUNCS: &[(&str, &str)] = &[
    ("floor", "math.floor"),
    ("ceil", "math.ceil"),
    ("trunc", "math.trunc"),
];

/// Emits a call to a libm function `f64 name(f64...)`, declaring it in the
/// module if needed.
pub fn libm_call<'c>(b: &Builder<'c>, name: &str, args: &[Value<'c>]) -> Value<'c> {
    let f64t = b.f64();
    let sig = vec!["f64"; args.len()].join(", ");
    crate::dialect::declare_function(b, name, &format!("({sig}) -> f64"));
    b.v("func.call", args, f64t, &[("callee", b.sym_attr(name))])
}

fn lower_float<'c>(b: &Builder<'c>, how: Lowering, args: &[Value<'c>]) -> Value<'c> {
    match how {
        Lowering::Op(op) => b.v(op, args, b.f64(), &[]),
        Lowering::Libm(f) => libm_call(b, f, args),
    }
}

/// Registers `math.*`.
pub fn register(ctx: &mut CompilationContext) {
    for &(name, n, how) in FLOAT_FUNCS {
        register_fn(
            ctx,
            &format!("math.{name}"),
            move |t| arity(t, n).map(|_| Ty::Float),
            move |b, v, t| {
                let args: Vec<Value> = v.iter().zip(t).map(|(v, t)| to_float(b, *v, *t)).collect();
                Ok(lower_float(b, how, &args))
            },
        );
    }
    register_fn(
        ctx,
        "math.log",
        |t| match t.len() {
            1 | 2 => Ok(Ty::Float),
            _ => Err("takes x and an optional base".into()),
        },
        |b, v, t| {
            let x = to_float(b, v[0], t[0]);
            let ln = b.un("math.log", x);
            Ok(match v.get(1) {
                None => ln,
                Some(base) => {
                    let base = to_float(b, *base, t[1]);
                    let lb = b.un("math.log", base);
                    b.bin("arith.divf", ln, lb)
                }
            })
        },
    );
    for &(name, op) in TO_INT_FUNCS {
        register_fn(
            ctx,
            &format!("math.{name}"),
            |t| arity(t, 1).map(|_| Ty::Int),
            move |b, v, t| {
                Ok(match t[0] {
                    Ty::Float => {
                        let r = b.un(op, v[0]);
                        checked_to_int(b, r)
                    }
                    other => super::builtins::to_int(b, v[0], other),
                })
            },
        );
    }
    for (name, test) in [("isnan", 0), ("isinf", 1), ("isfinite", 2)] {
        register_fn(
            ctx,
            &format!("math.{name}"),
            |t| arity(t, 1).map(|_| Ty::Bool),
            move |b, v, t| {
                let x = to_float(b, v[0], t[0]);
                Ok(match test {
                    0 => b.cmpf(CmpF::Uno, x, x),
                    1 => {
                        let a = b.un("math.absf", x);
                        let inf = b.const_f64(f64::INFINITY);
                        b.cmpf(CmpF::Oeq, a, inf)
                    }
                    _ => {
                        let a = b.un("math.absf", x);
                        let inf = b.const_f64(f64::INFINITY);
                        b.cmpf(CmpF::Olt, a, inf)
                    }
                })
            },
        );
    }
    for (name, value) in [
        ("pi", std::f64::consts::PI),
        ("e", std::f64::consts::E),
        ("tau", std::f64::consts::TAU),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        ctx.register_attribute(AttributeHandler {
            name: format!("math.{name}"),
            ty: Ty::Float,
            lower: Arc::new(move |b| b.const_f64(value)),
        });
    }
}
