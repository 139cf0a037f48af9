//! `int-pow-to-mul`: a research pass written outside cfuncc, against the
//! cfunc dialect, through the public API only.
//!
//! ```text
//! cfunc.ipow %n, N (0 <= N <= 8)  ──▶  arith.muli chain, square-and-multiply unrolled
//!   n ** 5:  n2 = n*n; n4 = n2*n2; n*n4          n ** 0:  1
//! ```
//! `cfunc-lower-arith` lowers every `cfunc.ipow` to a square-and-multiply
//! loop (an `scf.while`); for a small constant exponent the loop's
//! multiplications are written out instead. The rewrite is exact: int64
//! multiplication wraps, as the loop's does, and wrapping multiplication is
//! associative, so any order of the multiplications gives the same bits.
//!
//! Why ints only: the float counterpart, `x ** 2.0` as `x * x`, is the
//! correctly rounded square, but CPython computes `x ** 2.0` with libm's
//! `pow`, which is not always correctly rounded (glibc's is one ulp off at
//! x = -949930.8333425045). `tests/differential.rs` caught it on random
//! ticks: at `--opt-level 0` the node with the rewrite differed from the
//! node without it, which calls `pow` as CPython does. So the float rewrite
//! is left out. (At `-O2` LLVM folds `pow(x, 2.0)` to `x * x` itself.)
//!
//! [`register`] places the pass after `cfunc-resolve` (so it also sees the
//! powers an extension's lowering produced) and before `cfunc-lower-arith`.
//! LLVM's `-O2` unrolls the loop of a constant exponent itself; at
//! `--opt-level 0` and `1` it does not, and `research-bench` shows what
//! the pass buys there.

use cfuncc::context::PassDef;
use cfuncc::dialect::builder::Builder;
use cfuncc::dialect::ir::Value;
use cfuncc::dialect::rewrite::Rewrite;
use cfuncc::CompilationContext;

/// The pass's name in pipelines.
pub const NAME: &str = "int-pow-to-mul";

/// The value of an int constant operand (an `arith.constant`).
fn int_constant(v: Value<'_>) -> Option<i64> {
    let def = v.defining_op()?;
    if !def.is("arith.constant") {
        return None;
    }
    def.attr("value")?.as_int()
}

/// `x ** n` for a constant `0 <= n <= 8` as multiplications
/// (square-and-multiply, unrolled: at most three squarings and three
/// products).
fn int_power<'c>(b: &Builder<'c>, x: Value<'c>, n: i64) -> Value<'c> {
    let mut acc: Option<Value<'c>> = None;
    let (mut base, mut k) = (x, n);
    while k > 0 {
        if k & 1 == 1 {
            acc = Some(match acc {
                Some(a) => b.bin("arith.muli", a, base),
                None => base,
            });
        }
        k >>= 1;
        if k > 0 {
            base = b.bin("arith.muli", base, base);
        }
    }
    acc.unwrap_or_else(|| b.const_i64(1))
}

/// `cfunc.ipow %x, N` with a constant `0 <= N <= 8`: the multiplications.
fn small_int_power(rw: &Rewrite) -> Result<bool, String> {
    let v = rw.op.operands();
    let Some(n) = int_constant(v[1]) else {
        return Ok(false);
    };
    if !(0..=8).contains(&n) {
        return Ok(false);
    }
    let p = int_power(&rw.b, v[0], n);
    rw.replace(&[p]);
    Ok(true)
}

/// The pass, run only by name (see [`register`] for its place in the
/// default pipeline).
pub fn pass() -> PassDef {
    PassDef::new(
        NAME,
        "n ** N (int n, constant 0 <= N <= 8) as multiplications, not a loop",
        |p| {
            let mut patterns = p.patterns();
            // The pattern counts what it rewrote, as `cfunc.ipow`.
            patterns.add("cfunc.ipow", 1, small_int_power);
            patterns.apply(p.module())?;
            p.count(
                "skipped",
                "powers left as loops",
                p.ops("cfunc.ipow").len() as u64,
            );
            Ok(())
        },
    )
    .version("1")
    .statistic("skipped", "powers left as loops")
}

/// Registers the pass in `ctx`'s default pipeline, after `cfunc-resolve`.
pub fn register(ctx: &mut CompilationContext) -> cfuncc::Result<()> {
    ctx.register_pass(pass().after("cfunc-resolve"))
}

/// A context with the built-ins and the pass in its default pipeline.
pub fn context() -> cfuncc::Result<CompilationContext> {
    let mut ctx = CompilationContext::with_defaults()?;
    register(&mut ctx)?;
    Ok(ctx)
}
