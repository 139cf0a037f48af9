//! Python builtins on numbers: `abs`, `min`, `max`, `round`, `int`,
//! `float`, `bool`.

use crate::dialect::builder::{Builder, CmpF, CmpI};
use crate::dialect::ir::Value;
use crate::registry::{CallHandler, CompilationContext};
use crate::types::Ty;
use std::sync::Arc;

pub use crate::dialect::convert::{bool_of, checked_to_int, to_float, to_int};

/// Registers a call handler from plain functions.
pub fn register_fn(
    ctx: &mut CompilationContext,
    name: &str,
    infer: impl Fn(&[Ty]) -> Result<Ty, String> + Send + Sync + 'static,
    lower: impl for<'c> Fn(&Builder<'c>, &[Value<'c>], &[Ty]) -> Result<Value<'c>, String>
        + Send
        + Sync
        + 'static,
) {
    ctx.register_call(CallHandler {
        name: name.into(),
        priority: 100,
        infer: Arc::new(infer),
        lower: Arc::new(lower),
    });
}

/// Accepts exactly `n` numeric arguments.
pub fn arity(tys: &[Ty], n: usize) -> Result<(), String> {
    if tys.len() == n {
        numbers(tys)
    } else {
        Err(format!(
            "takes {n} argument{} but {} were given",
            if n == 1 { "" } else { "s" },
            tys.len()
        ))
    }
}

/// Accepts int, float and bool arguments only. A scalar type (a datetime,
/// a timedelta) is not a number; the frontend adds what it has instead.
pub fn numbers(tys: &[Ty]) -> Result<(), String> {
    match tys.iter().find(|t| !t.is_numeric()) {
        None => Ok(()),
        Some(t @ Ty::Scalar(_)) => Err(format!("takes numbers, not {}", crate::types::a_ty(*t))),
        Some(t) => Err(format!(
            "takes numbers, not the struct {t}; use one of its fields"
        )),
    }
}

fn min_max(ctx: &mut CompilationContext, name: &'static str, pick_if: CmpI, pick_if_f: CmpF) {
    register_fn(
        ctx,
        name,
        |tys| {
            if tys.len() < 2 {
                return Err("takes two or more numbers".into());
            }
            // A scalar type with itself (datetimes with datetimes): the
            // payloads compare.
            if tys[0].is_opaque() && tys.iter().all(|t| *t == tys[0]) {
                return Ok(tys[0]);
            }
            numbers(tys)?;
            Ok(tys.iter().copied().reduce(Ty::unify).expect("non-empty"))
        },
        move |b, vals, tys| {
            let ty = tys.iter().copied().reduce(Ty::unify).expect("non-empty");
            let conv = |v, t| match ty {
                Ty::Float => to_float(b, v, t),
                Ty::Int => to_int(b, v, t),
                _ => v,
            };
            // Opaque types compare as their payloads.
            let ty = ty.payload();
            // Python keeps the first extreme: replace only on strict order,
            // so NaN never replaces an earlier value.
            let mut acc = conv(vals[0], tys[0]);
            for (v, t) in vals.iter().zip(tys).skip(1) {
                let v = conv(*v, *t);
                let better = match ty {
                    Ty::Float => b.cmpf(pick_if_f, v, acc),
                    // (structs are rejected by the type rule)
                    Ty::Int | Ty::Struct(_) | Ty::Scalar(_) => b.cmpi(pick_if, v, acc),
                    Ty::Bool => {
                        let (x, y) = (
                            b.cast("arith.extui", v, b.i64()),
                            b.cast("arith.extui", acc, b.i64()),
                        );
                        b.cmpi(pick_if, x, y)
                    }
                };
                acc = b.select(better, v, acc);
            }
            Ok(acc)
        },
    );
}

/// Registers the builtins.
pub fn register(ctx: &mut CompilationContext) {
    register_fn(
        ctx,
        "abs",
        |t| {
            arity(t, 1)?;
            Ok(if t[0] == Ty::Float {
                Ty::Float
            } else {
                Ty::Int
            })
        },
        |b, v, t| {
            Ok(match t[0] {
                Ty::Float => b.un("math.absf", v[0]),
                ty => {
                    let x = to_int(b, v[0], ty);
                    let z = b.const_i64(0);
                    let neg = b.cmpi(CmpI::Slt, x, z);
                    let minus = b.bin("arith.subi", z, x);
                    b.select(neg, minus, x)
                }
            })
        },
    );
    min_max(ctx, "min", CmpI::Slt, CmpF::Olt);
    min_max(ctx, "max", CmpI::Sgt, CmpF::Ogt);
    register_fn(
        ctx,
        "int",
        |t| arity(t, 1).map(|_| Ty::Int),
        |b, v, t| {
            Ok(if t[0] == Ty::Float {
                checked_to_int(b, v[0])
            } else {
                to_int(b, v[0], t[0])
            })
        },
    );
    register_fn(
        ctx,
        "float",
        |t| arity(t, 1).map(|_| Ty::Float),
        |b, v, t| Ok(to_float(b, v[0], t[0])),
    );
    register_fn(
        ctx,
        "bool",
        |t| {
            if t.len() == 1 && !t[0].is_numeric() {
                return Ok(Ty::Bool);
            }
            arity(t, 1).map(|_| Ty::Bool)
        },
        |b, v, t| Ok(bool_of(b, v[0], t[0])),
    );
    register_fn(
        ctx,
        "round",
        |t| match t {
            [t, ..] if !t.is_numeric() => numbers(&[*t]).map(|_| Ty::Int),
            [Ty::Float] | [Ty::Int] | [Ty::Bool] => Ok(Ty::Int),
            [x, Ty::Int | Ty::Bool] => Ok(if *x == Ty::Float { Ty::Float } else { Ty::Int }),
            [_, Ty::Float] => Err("ndigits must be an int".into()),
            _ => Err("takes a number and an optional ndigits".into()),
        },
        |b, v, t| {
            Ok(match t {
                [Ty::Float] => {
                    let r = b.un("math.roundeven", v[0]);
                    checked_to_int(b, r)
                }
                [ty] => to_int(b, v[0], *ty),
                [Ty::Float, nt] => round_float_ndigits(b, v[0], to_int(b, v[1], *nt)),
                [ty, nt] => round_int_ndigits(b, to_int(b, v[0], *ty), to_int(b, v[1], *nt)),
                _ => unreachable!("arity checked by infer"),
            })
        },
    );
}

/// `round(x, n)` for a float `x`, correctly rounded half-to-even on the
/// exact binary value of `x`, as CPython does (`round(2.675, 2) == 2.67`).
///
/// `y = x·10ⁿ` is rounded half-to-even; when `y` lands exactly on a tie, the
/// exact residual of the product (`fma`) says which side the true value is
/// on. The result `r / 10ⁿ` is then a correctly rounded division of two
/// exact values. For |n| > 22 (10ⁿ inexact) the result is approximate.
fn round_float_ndigits<'c>(b: &Builder<'c>, x: Value<'c>, n: Value<'c>) -> Value<'c> {
    let zero_i = b.const_i64(0);
    let neg = b.cmpi(CmpI::Slt, n, zero_i);
    let abs_n = {
        let m = b.bin("arith.subi", zero_i, n);
        b.select(neg, m, n)
    };
    let ten = b.const_f64(10.0);
    let abs_n_f = b.cast("arith.sitofp", abs_n, b.f64());
    let p = b.bin("math.powf", ten, abs_n_f);
    // Scale: y = x * p (n >= 0) or x / p (n < 0).
    let mul = b.bin("arith.mulf", x, p);
    let div = b.bin("arith.divf", x, p);
    let y = b.select(neg, div, mul);
    // Exact residual sign: x*p - y, or x - y*p for division.
    let neg_y = b.un("arith.negf", y);
    let mul_res = b.v("math.fma", &[x, p, neg_y], b.f64(), &[]);
    let div_res = b.v("math.fma", &[neg_y, p, x], b.f64(), &[]);
    let e = b.select(neg, div_res, mul_res);
    let r0 = b.un("math.roundeven", y);
    let d = b.bin("arith.subf", y, r0);
    let half = b.const_f64(0.5);
    let abs_d = b.un("math.absf", d);
    let tie = b.cmpf(CmpF::Oeq, abs_d, half);
    let zero = b.const_f64(0.0);
    let one = b.const_f64(1.0);
    let e_pos = b.cmpf(CmpF::Ogt, e, zero);
    let e_neg = b.cmpf(CmpF::Olt, e, zero);
    let d_pos = b.cmpf(CmpF::Ogt, d, zero);
    let d_neg = b.cmpf(CmpF::Olt, d, zero);
    let up = {
        let a = b.bin("arith.andi", e_pos, d_pos);
        b.bin("arith.andi", tie, a)
    };
    let down = {
        let a = b.bin("arith.andi", e_neg, d_neg);
        b.bin("arith.andi", tie, a)
    };
    let r1 = {
        let plus = b.bin("arith.addf", r0, one);
        b.select(up, plus, r0)
    };
    let r = {
        let minus = b.bin("arith.subf", r1, one);
        b.select(down, minus, r1)
    };
    let back_mul = b.bin("arith.mulf", r, p);
    let back_div = b.bin("arith.divf", r, p);
    let result = b.select(neg, back_mul, back_div);
    // Values already integral at this scale (huge, or inf/nan) are unchanged.
    let abs_y = b.un("math.absf", y);
    let big = b.const_f64(4503599627370496.0);
    let small = b.cmpf(CmpF::Olt, abs_y, big);
    b.select(small, result, x)
}

/// `round(x, n)` for an int `x`: unchanged for `n >= 0`, else rounded
/// half-to-even to a multiple of `10^-n`.
fn round_int_ndigits<'c>(b: &Builder<'c>, x: Value<'c>, n: Value<'c>) -> Value<'c> {
    let zero = b.const_i64(0);
    let one = b.const_i64(1);
    let two = b.const_i64(2);
    let ten = b.const_i64(10);
    let neg = b.cmpi(CmpI::Slt, n, zero);
    let k = b.bin("arith.subi", zero, n);
    let k = b.select(neg, k, zero);
    // 10^19 overflows int64; every int64 rounds to 0 at that scale.
    let limit = b.const_i64(18);
    let huge = b.cmpi(CmpI::Sgt, k, limit);
    let k_safe = b.select(huge, zero, k);
    let p = b.cfunc_ipow(ten, k_safe);
    let q = b.cfunc_floordiv(x, p);
    let qp = b.bin("arith.muli", q, p);
    let r = b.bin("arith.subi", x, qp);
    let r2 = b.bin("arith.muli", r, two);
    let above = b.cmpi(CmpI::Sgt, r2, p);
    let at_half = b.cmpi(CmpI::Eq, r2, p);
    let q_odd = {
        let bit = b.bin("arith.andi", q, one);
        b.cmpi(CmpI::Ne, bit, zero)
    };
    let tie_up = b.bin("arith.andi", at_half, q_odd);
    let bump = b.bin("arith.ori", above, tie_up);
    let q1 = {
        let inc = b.bin("arith.addi", q, one);
        b.select(bump, inc, q)
    };
    let rounded = b.bin("arith.muli", q1, p);
    let rounded = b.select(huge, zero, rounded);
    b.select(neg, rounded, x)
}
