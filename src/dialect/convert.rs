//! Conversions between Python value types on the builder: to float, to
//! int, to bool (truthiness).

use super::builder::{Builder, CmpF, CmpI};
use super::ir::Value;
use super::FaultCode;
use crate::types::Ty;

/// Converts a numeric value to float.
pub fn to_float<'c>(b: &Builder<'c>, v: Value<'c>, ty: Ty) -> Value<'c> {
    match ty {
        Ty::Float => v,
        Ty::Int => b.cast("arith.sitofp", v, b.f64()),
        Ty::Bool => b.cast("arith.uitofp", v, b.f64()),
        Ty::Scalar(s) => to_float(b, v, s.repr),
        // Rejected by every numeric call's type rule (`numbers`).
        Ty::Struct(_) => v,
    }
}

/// Converts an int or bool value to int.
pub fn to_int<'c>(b: &Builder<'c>, v: Value<'c>, ty: Ty) -> Value<'c> {
    match ty {
        Ty::Bool => b.cast("arith.extui", v, b.i64()),
        _ => v,
    }
}

/// Float → int toward zero; NaN and infinity fault.
pub fn checked_to_int<'c>(b: &Builder<'c>, v: Value<'c>) -> Value<'c> {
    let abs = b.un("math.absf", v);
    let inf = b.const_f64(f64::INFINITY);
    // Not (|v| < inf) is true for NaN and ±inf.
    let finite = b.cmpf(CmpF::Olt, abs, inf);
    let yes = b.const_bool(true);
    let bad = b.bin("arith.xori", finite, yes);
    b.cfunc_check(bad, FaultCode::FloatToIntNonFinite);
    b.cfunc_to_int(v)
}

/// Python's truth value of `v`, a `ty`: numbers are true unless zero; a
/// struct, and a scalar type without a `__bool__` method (which the
/// frontend calls instead), is always true, as a Python object is.
pub fn bool_of<'c>(b: &Builder<'c>, v: Value<'c>, ty: Ty) -> Value<'c> {
    match ty {
        Ty::Bool => v,
        Ty::Struct(_) | Ty::Scalar(_) => b.const_bool(true),
        Ty::Int => {
            let z = b.const_i64(0);
            b.cmpi(CmpI::Ne, v, z)
        }
        Ty::Float => {
            let z = b.const_f64(0.0);
            b.cmpf(CmpF::Une, v, z)
        }
    }
}
