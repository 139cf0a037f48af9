//! `cfunc-lower-arith`: Python arithmetic → arith/math/scf with no
//! undefined behaviour on any input.
//!
//! ```text
//! cfunc.floordiv, cfunc.mod   floor semantics (sign of the divisor); int ÷ 0 → 0
//! cfunc.ipow                  square-and-multiply loop (scf.while), wrapping
//! cfunc.shl / cfunc.shr       shift counts ≥ 64 give 0 / the sign
//! cfunc.to_int                clamped arith.fptosi (saturating, NaN → 0)
//! ```
//! The faulting cases (negative shift and exponent, NaN → int) are guarded
//! by `cfunc.check` ops the frontend emits before these ops.
//!
//! Position: after cfunc-resolve (whose handlers emit `cfunc.to_int`) and
//! before the container and fault passes, so no cfunc arithmetic reaches
//! them. Statistics: rewritten ops, by name.

use super::pattern::{PassDiag, Patterns};
use crate::dialect::builder::{Builder, CmpF, CmpI};
use crate::dialect::ir::{Block, Operation, Value};
use crate::dialect::ops;
use crate::registry::CompilationContext;

fn is_f64<'c>(b: &Builder<'c>, v: Value<'c>) -> bool {
    v.ty() == b.f64()
}

/// Python `a // b` on ints: floor division; `b == 0` gives 0 and
/// `i64::MIN // -1` wraps.
pub fn int_floordiv<'c>(b: &Builder<'c>, a: Value<'c>, d: Value<'c>) -> Value<'c> {
    let zero = b.const_i64(0);
    let one = b.const_i64(1);
    let minus_one = b.const_i64(-1);
    let d_zero = b.cmpi(CmpI::Eq, d, zero);
    let d_m1 = b.cmpi(CmpI::Eq, d, minus_one);
    let unsafe_d = b.bin("arith.ori", d_zero, d_m1);
    let ds = b.select(unsafe_d, one, d);
    let q = b.bin("arith.divsi", a, ds);
    let r = b.bin("arith.remsi", a, ds);
    let r_nz = b.cmpi(CmpI::Ne, r, zero);
    let r_neg = b.cmpi(CmpI::Slt, r, zero);
    let d_neg = b.cmpi(CmpI::Slt, ds, zero);
    let signs = b.bin("arith.xori", r_neg, d_neg);
    let adjust = b.bin("arith.andi", r_nz, signs);
    let q1 = b.bin("arith.subi", q, one);
    let q = b.select(adjust, q1, q);
    let neg_a = b.bin("arith.subi", zero, a);
    let q = b.select(d_m1, neg_a, q);
    b.select(d_zero, zero, q)
}

/// Python `a % b` on ints: the sign of the divisor; `b == 0` gives 0.
pub fn int_mod<'c>(b: &Builder<'c>, a: Value<'c>, d: Value<'c>) -> Value<'c> {
    let zero = b.const_i64(0);
    let one = b.const_i64(1);
    let minus_one = b.const_i64(-1);
    let d_zero = b.cmpi(CmpI::Eq, d, zero);
    let d_m1 = b.cmpi(CmpI::Eq, d, minus_one);
    let unsafe_d = b.bin("arith.ori", d_zero, d_m1);
    let ds = b.select(unsafe_d, one, d);
    let r = b.bin("arith.remsi", a, ds);
    let r_nz = b.cmpi(CmpI::Ne, r, zero);
    let r_neg = b.cmpi(CmpI::Slt, r, zero);
    let d_neg = b.cmpi(CmpI::Slt, ds, zero);
    let signs = b.bin("arith.xori", r_neg, d_neg);
    let adjust = b.bin("arith.andi", r_nz, signs);
    let r1 = b.bin("arith.addi", r, ds);
    let r = b.select(adjust, r1, r);
    b.select(unsafe_d, zero, r)
}

/// Python `a % b` on floats (CPython's float_rem).
pub fn float_mod<'c>(b: &Builder<'c>, a: Value<'c>, d: Value<'c>) -> Value<'c> {
    let zero = b.const_f64(0.0);
    let m = b.bin("arith.remf", a, d);
    let m_nz = b.cmpf(CmpF::Une, m, zero);
    let m_neg = b.cmpf(CmpF::Olt, m, zero);
    let d_neg = b.cmpf(CmpF::Olt, d, zero);
    let signs = b.bin("arith.xori", m_neg, d_neg);
    let adjust = b.bin("arith.andi", m_nz, signs);
    let m1 = b.bin("arith.addf", m, d);
    let adjusted = b.select(adjust, m1, m);
    let signed_zero = b.bin("math.copysign", zero, d);
    b.select(m_nz, adjusted, signed_zero)
}

/// Python `a // b` on floats (CPython's float_floor_div); `b == 0` gives
/// IEEE `a / b`.
pub fn float_floordiv<'c>(b: &Builder<'c>, a: Value<'c>, d: Value<'c>) -> Value<'c> {
    let zero = b.const_f64(0.0);
    let one = b.const_f64(1.0);
    let half = b.const_f64(0.5);
    let m = b.bin("arith.remf", a, d);
    let diff = b.bin("arith.subf", a, m);
    let div = b.bin("arith.divf", diff, d);
    let m_nz = b.cmpf(CmpF::Une, m, zero);
    let m_neg = b.cmpf(CmpF::Olt, m, zero);
    let d_neg = b.cmpf(CmpF::Olt, d, zero);
    let signs = b.bin("arith.xori", m_neg, d_neg);
    let adjust = b.bin("arith.andi", m_nz, signs);
    let div1 = b.bin("arith.subf", div, one);
    let div = b.select(adjust, div1, div);
    let fl = b.un("math.floor", div);
    let frac = b.bin("arith.subf", div, fl);
    let over = b.cmpf(CmpF::Ogt, frac, half);
    let fl1 = b.bin("arith.addf", fl, one);
    let fl = b.select(over, fl1, fl);
    let div_nz = b.cmpf(CmpF::Une, div, zero);
    let q = b.bin("arith.divf", a, d);
    let signed_zero = b.bin("math.copysign", zero, q);
    let r = b.select(div_nz, fl, signed_zero);
    let d_zero = b.cmpf(CmpF::Oeq, d, zero);
    b.select(d_zero, q, r)
}

/// `base ** exp` on ints by square-and-multiply, wrapping; `exp <= 0`
/// gives 1.
fn ipow<'c>(b: &Builder<'c>, base: Value<'c>, exp: Value<'c>) -> Value<'c> {
    let i64t = b.i64();
    let one = b.const_i64(1);
    let zero = b.const_i64(0);
    let tys = [i64t, i64t, i64t];
    // before: (acc, base, e) → condition e > 0
    let w = b.op_full("scf.while", &[one, base, exp], &tys, &[], &[], 2);
    let before = w.region(0).append_block(&tys, b.location());
    let after = w.region(1).append_block(&tys, b.location());
    let arg = |blk: Block<'c>, i| blk.argument(i);
    {
        let bb = b.at_end_of(before);
        let more = bb.cmpi(CmpI::Sgt, arg(before, 2), zero);
        bb.op(
            "scf.condition",
            &[more, arg(before, 0), arg(before, 1), arg(before, 2)],
            &[],
            &[],
        );
    }
    {
        let ab = b.at_end_of(after);
        let (acc, x, e) = (arg(after, 0), arg(after, 1), arg(after, 2));
        let bit = ab.bin("arith.andi", e, one);
        let odd = ab.cmpi(CmpI::Ne, bit, zero);
        let mul = ab.bin("arith.muli", acc, x);
        let acc = ab.select(odd, mul, acc);
        let x2 = ab.bin("arith.muli", x, x);
        let e2 = ab.bin("arith.shrsi", e, one);
        ab.op("scf.yield", &[acc, x2, e2], &[], &[]);
    }
    w.result(0)
}

/// Float → int64 toward zero, saturating at the int64 range; NaN gives 0.
/// (`arith.fptosi` alone is poison out of range.)
pub fn saturating_to_int<'c>(b: &Builder<'c>, x: Value<'c>) -> Value<'c> {
    let lo = b.const_f64(-9.223_372_036_854_776e18);
    let hi = b.const_f64(9.223_372_036_854_776e18);
    let zero = b.const_f64(0.0);
    let ge_lo = b.cmpf(CmpF::Oge, x, lo);
    let lt_hi = b.cmpf(CmpF::Olt, x, hi);
    let in_range = b.bin("arith.andi", ge_lo, lt_hi);
    let safe = b.select(in_range, x, zero);
    let t = b.cast("arith.fptosi", safe, b.i64());
    let max = b.const_i64(i64::MAX);
    let min = b.const_i64(i64::MIN);
    let too_big = b.cmpf(CmpF::Oge, x, hi);
    let too_small = b.cmpf(CmpF::Olt, x, lo);
    let t = b.select(too_big, max, t);
    b.select(too_small, min, t)
}

/// Runs the pass.
pub fn run<'c>(cx: &CompilationContext, module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    let mut p = Patterns::new(cx.mlir());
    p.add(ops::FLOORDIV, 1, |rw| {
        let [a, d] = rw.op.operands()[..] else {
            return Err("cfunc.floordiv takes two operands".into());
        };
        let v = if is_f64(&rw.b, a) {
            float_floordiv(&rw.b, a, d)
        } else {
            int_floordiv(&rw.b, a, d)
        };
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::MOD, 1, |rw| {
        let [a, d] = rw.op.operands()[..] else {
            return Err("cfunc.mod takes two operands".into());
        };
        let v = if is_f64(&rw.b, a) {
            float_mod(&rw.b, a, d)
        } else {
            int_mod(&rw.b, a, d)
        };
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::IPOW, 1, |rw| {
        let [a, e] = rw.op.operands()[..] else {
            return Err("cfunc.ipow takes two operands".into());
        };
        let v = ipow(&rw.b, a, e);
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::SHL, 1, |rw| {
        let [x, n] = rw.op.operands()[..] else {
            return Err("cfunc.shl takes two operands".into());
        };
        let b = &rw.b;
        let zero = b.const_i64(0);
        let limit = b.const_i64(63);
        let big = b.cmpi(CmpI::Sgt, n, limit);
        let neg = b.cmpi(CmpI::Slt, n, zero);
        let out = b.bin("arith.ori", big, neg);
        let ns = b.select(out, zero, n);
        let s = b.bin("arith.shli", x, ns);
        let v = b.select(out, zero, s);
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::SHR, 1, |rw| {
        let [x, n] = rw.op.operands()[..] else {
            return Err("cfunc.shr takes two operands".into());
        };
        let b = &rw.b;
        let zero = b.const_i64(0);
        let limit = b.const_i64(63);
        let big = b.cmpi(CmpI::Sgt, n, limit);
        let neg = b.cmpi(CmpI::Slt, n, zero);
        let ns = b.select(big, limit, n);
        let ns = b.select(neg, zero, ns);
        let v = b.bin("arith.shrsi", x, ns);
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::TO_INT, 1, |rw| {
        let [x] = rw.op.operands()[..] else {
            return Err("cfunc.to_int takes one operand".into());
        };
        let v = saturating_to_int(&rw.b, x);
        rw.replace(&[v]);
        Ok(true)
    });
    p.apply(module)
}
