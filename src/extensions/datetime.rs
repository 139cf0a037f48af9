//! `datetime` and `timedelta`: int64 nanoseconds (design.md §2), a
//! timezone-aware UTC datetime counting from the Unix epoch.
//!
//! Registered through the public API like every built-in: two
//! [`ScalarType`]s carried as int64, their annotations, the typed arithmetic
//! between them ([`BinopRule`]s), `-td`, `+td`, `abs(td)` and `bool(td)` as
//! the methods `__neg__`, `__pos__`, `__abs__`, `__bool__` (a datetime has
//! none of them, so it is always true, as in CPython), their fields as
//! properties and their methods.
//! `datetime(...)` / `timedelta(...)` with constant arguments fold to exact
//! nanosecond constants wherever a literal is accepted (state initial
//! values, `--const`, defaults, module constants) and in the body; see
//! [`fold_datetime`] and [`fold_timedelta`].
//!
//! ```
//! use cfuncc::extensions::datetime::fold_timedelta;
//! use cfuncc::ConstValue;
//! let ns = fold_timedelta(&[], &[("milliseconds".into(), ConstValue::Int(1500))]).unwrap();
//! assert_eq!(ns, 1_500_000_000);
//! ```

use crate::dialect::builder::Builder;
use crate::dialect::ir::Value;
use crate::registry::{
    BinopRule, CompilationContext, ConstArg, ConstCallHandler, MethodHandler, PropertyHandler,
    Registry, TypeHandler,
};
use crate::types::{ConstValue, ScalarType, Ty};
use ruff_python_ast::Operator;
use std::sync::{Arc, OnceLock};

/// The `datetime` type: timezone-aware (UTC) int64 nanoseconds since the
/// Unix epoch.
pub fn datetime_type() -> Ty {
    static T: OnceLock<Ty> = OnceLock::new();
    *T.get_or_init(|| ScalarType::define("datetime", Ty::Int).expect("a valid scalar type"))
}

/// The `timedelta` type: int64 nanoseconds.
pub fn timedelta_type() -> Ty {
    static T: OnceLock<Ty> = OnceLock::new();
    *T.get_or_init(|| ScalarType::define("timedelta", Ty::Int).expect("a valid scalar type"))
}

/// The registrations of `registry` with the `datetime` and `timedelta`
/// annotations standing for plain int64 nanoseconds, as the seed has them
/// (`--datetime-as-int`). The int handlers come just before the typed ones
/// (priority 109 against 110), so an annotation finds them first, while
/// `int` keeps its own handler. Constructors (`datetime(2024, 1, 2)`,
/// `timedelta(seconds=1)`) still make typed values, which do not mix with
/// these ints.
pub fn as_int(registry: &Registry) -> Registry {
    let mut r = registry.clone();
    for annotation in ["datetime", "timedelta"] {
        r.register_type(TypeHandler::new(annotation, Ty::Int, 109));
    }
    r
}

/// A `ty` constant with the payload `ns`.
fn constant(ty: Ty, ns: i64) -> ConstValue {
    match ty {
        Ty::Scalar(s) => ConstValue::Scalar(s, Box::new(ConstValue::Int(ns))),
        _ => ConstValue::Int(ns),
    }
}

/// Registers the two types and their arithmetic.
pub fn register(ctx: &mut CompilationContext) -> crate::diagnostics::Result<()> {
    let (dt, td) = (datetime_type(), timedelta_type());
    for (annotation, ty) in [("datetime", dt), ("timedelta", td)] {
        // 110: after int, float and bool in lists of supported types.
        ctx.register_type(TypeHandler::new(annotation, ty, 110));
    }
    use Operator::*;
    let i = Ty::Int;
    // (lhs, op, rhs, result): computed as the same op on the int64
    // payloads, with int semantics (`//` and `%` floor; by zero gives 0).
    let rules = [
        (dt, Sub, dt, td),
        (dt, Add, td, dt),
        (td, Add, dt, dt),
        (dt, Sub, td, dt),
        (td, Add, td, td),
        (td, Sub, td, td),
        (td, Mult, i, td),
        (i, Mult, td, td),
        (td, FloorDiv, i, td),
        (td, FloorDiv, td, i),
        (td, Div, td, Ty::Float),
        (td, Mod, td, td),
    ];
    for (lhs, op, rhs, result) in rules {
        ctx.register_binop(BinopRule {
            lhs,
            op,
            rhs,
            result,
        });
    }
    // td.total_seconds() and dt.timestamp(): float seconds. Computed as
    // µs / 1e6 + (sub-µs ns) / 1e9, so for whole microseconds the result is
    // CPython's (a correctly rounded µs / 10**6).
    for (receiver, name) in [(td, "total_seconds"), (dt, "timestamp")] {
        ctx.register_method(MethodHandler::nullary(
            receiver,
            name,
            Ty::Float,
            |b, ns| Ok(seconds(b, ns)),
        ));
    }
    // -td, +td, abs(td), bool(td) (true unless zero), on the nanoseconds;
    // a negated timedelta.min wraps, as int64 negation does.
    super::scalar_types::register_payload_methods(ctx, td, &["-", "+", "abs", "bool"])
        .map_err(crate::diagnostics::Error::Internal)?;
    register_fields(ctx);
    register_constructors(ctx);
    Ok(())
}

/// `datetime(...)` and `timedelta(...)` with constant arguments fold to
/// exact nanoseconds ([`fold_datetime`], [`fold_timedelta`]). A datetime
/// needs `tzinfo=timezone.utc` (or `UTC`), by keyword or as the 8th
/// positional argument.
fn register_constructors(ctx: &mut CompilationContext) {
    fn values(args: &[ConstArg], not_constant: &str) -> Result<Vec<ConstValue>, String> {
        args.iter()
            .map(|a| match a {
                ConstArg::Value(v) => Ok(v.clone()),
                _ => Err(not_constant.to_string()),
            })
            .collect()
    }
    fn named(
        kwargs: &[(String, ConstArg)],
        not_constant: &str,
    ) -> Result<Vec<(String, ConstValue)>, String> {
        kwargs
            .iter()
            .map(|(k, v)| match v {
                ConstArg::Value(v) => Ok((k.clone(), v.clone())),
                _ => Err(not_constant.to_string()),
            })
            .collect()
    }
    ctx.register_const_call(ConstCallHandler {
        name: "timedelta".into(),
        fold: Arc::new(|args, kwargs| {
            const NOT_CONSTANT: &str = "timedelta() arguments must be literals or module constants; for a run-time amount multiply: timedelta(seconds=1) * n";
            let args = values(args, NOT_CONSTANT)?;
            let kwargs = named(kwargs, NOT_CONSTANT)?;
            fold_timedelta(&args, &kwargs).map(|ns| constant(timedelta_type(), ns))
        }),
    });
    ctx.register_const_call(ConstCallHandler {
        name: "datetime".into(),
        fold: Arc::new(|args, kwargs| {
            const NOT_CONSTANT: &str = "datetime() arguments must be int literals or module constants; for a run-time time add a timedelta to a constant datetime";
            let mut positional = args.to_vec();
            let mut tz = None;
            if positional.len() == 8 {
                tz = positional.pop();
            }
            let positional = values(&positional, NOT_CONSTANT)?;
            let (tzinfo, rest): (Vec<_>, Vec<_>) =
                kwargs.iter().cloned().partition(|(k, _)| k == "tzinfo");
            if let Some((_, v)) = tzinfo.into_iter().last() {
                tz = Some(v);
            }
            let named = named(&rest, NOT_CONSTANT)?;
            let utc = matches!(&tz, Some(ConstArg::Name(t)) if t == "UTC"
                || t.ends_with(".UTC")
                || t == "timezone.utc"
                || t.ends_with(".timezone.utc"));
            match tz {
                None => Err("a naive datetime (no tzinfo) is not supported: datetimes are UTC nanoseconds since the epoch; pass tzinfo=timezone.utc".into()),
                Some(_) if !utc => Err("only tzinfo=timezone.utc (or UTC) is supported: datetimes are UTC nanoseconds since the epoch".into()),
                Some(_) => fold_datetime(&positional, &named).map(|ns| constant(datetime_type(), ns)),
            }
        }),
    });
}

/// A field of a datetime or timedelta, computed from its nanoseconds.
type FieldFn = for<'c> fn(&Builder<'c>, Value<'c>) -> Value<'c>;

/// The fields CPython's `datetime` and `timedelta` have, as properties
/// (`dt.year`, `td.days`), and `dt.weekday()` / `dt.isoweekday()`. A
/// timedelta is normalised as CPython's: `days` floors, then `0 <=
/// seconds < 86400` and `0 <= microseconds < 10**6`. Nanoseconds below a
/// microsecond are not a field (CPython has none).
fn register_fields(ctx: &mut CompilationContext) {
    let (dt, td) = (datetime_type(), timedelta_type());
    let fields: [(Ty, &str, FieldFn); 10] = [
        (dt, "year", |b, ns| civil(b, ns).0),
        (dt, "month", |b, ns| civil(b, ns).1),
        (dt, "day", |b, ns| civil(b, ns).2),
        (dt, "hour", |b, ns| time_of_day(b, ns, 3_600, 24)),
        (dt, "minute", |b, ns| time_of_day(b, ns, 60, 60)),
        (dt, "second", |b, ns| time_of_day(b, ns, 1, 60)),
        (dt, "microsecond", microseconds),
        (td, "days", |b, ns| floor_div(b, ns, NS_PER_DAY as i64)),
        (td, "seconds", |b, ns| time_of_day(b, ns, 1, 86_400)),
        (td, "microseconds", microseconds),
    ];
    for (receiver, name, f) in fields {
        ctx.register_property(PropertyHandler {
            receiver,
            name: name.into(),
            ty: Ty::Int,
            lower: Arc::new(move |b, ns| Ok(f(b, ns))),
        });
    }
    // 1970-01-01 was a Thursday: weekday 3 (Monday is 0).
    for (name, first) in [("weekday", 0), ("isoweekday", 1)] {
        ctx.register_method(MethodHandler::nullary(dt, name, Ty::Int, move |b, ns| {
            let days = floor_div(b, ns, NS_PER_DAY as i64);
            let shifted = b.bin("arith.addi", days, b.const_i64(3));
            let wd = floor_mod(b, shifted, 7);
            Ok(b.bin("arith.addi", wd, b.const_i64(first)))
        }));
    }
}

fn floor_div<'c>(b: &Builder<'c>, x: Value<'c>, k: i64) -> Value<'c> {
    b.cfunc_floordiv(x, b.const_i64(k))
}

fn floor_mod<'c>(b: &Builder<'c>, x: Value<'c>, k: i64) -> Value<'c> {
    b.cfunc_mod(x, b.const_i64(k))
}

/// `x / k` for `x >= 0`, `k > 0`.
fn div<'c>(b: &Builder<'c>, x: Value<'c>, k: i64) -> Value<'c> {
    b.bin("arith.divsi", x, b.const_i64(k))
}

/// `(ns mod unit_seconds·10⁹ per …)`: the whole `unit`s (in seconds) within
/// the day, modulo `wrap`: hour = (ns mod day) / 3600 s, mod 24.
fn time_of_day<'c>(b: &Builder<'c>, ns: Value<'c>, unit_s: i64, wrap: i64) -> Value<'c> {
    let in_day = floor_mod(b, ns, NS_PER_DAY as i64);
    let units = div(b, in_day, unit_s * NS_PER_SECOND as i64);
    b.bin("arith.remsi", units, b.const_i64(wrap))
}

/// The microseconds within the second.
fn microseconds<'c>(b: &Builder<'c>, ns: Value<'c>) -> Value<'c> {
    let in_second = floor_mod(b, ns, NS_PER_SECOND as i64);
    div(b, in_second, NS_PER_US as i64)
}

/// (year, month, day) of a datetime: Howard Hinnant's `civil_from_days`,
/// exact for every day an int64 of nanoseconds reaches.
fn civil<'c>(b: &Builder<'c>, ns: Value<'c>) -> (Value<'c>, Value<'c>, Value<'c>) {
    let k = |v: i64| b.const_i64(v);
    let add = |x, y| b.bin("arith.addi", x, y);
    let sub = |x, y| b.bin("arith.subi", x, y);
    let mul = |x, y| b.bin("arith.muli", x, y);
    let z = add(floor_div(b, ns, NS_PER_DAY as i64), k(719_468));
    let era = floor_div(b, z, 146_097);
    let doe = sub(z, mul(era, k(146_097))); // [0, 146096]
                                            // yoe = (doe - doe/1460 + doe/36524 - doe/146096) / 365, in [0, 399]
    let t = add(sub(doe, div(b, doe, 1_460)), div(b, doe, 36_524));
    let yoe = div(b, sub(t, div(b, doe, 146_096)), 365);
    let y = add(yoe, mul(era, k(400)));
    // doy = doe - (365 yoe + yoe/4 - yoe/100), in [0, 365]
    let days_before = sub(add(mul(yoe, k(365)), div(b, yoe, 4)), div(b, yoe, 100));
    let doy = sub(doe, days_before);
    let mp = div(b, add(mul(doy, k(5)), k(2)), 153); // [0, 11], March = 0
    let d = add(sub(doy, div(b, add(mul(mp, k(153)), k(2)), 5)), k(1));
    // m = mp < 10 ? mp + 3 : mp - 9; the year starts in March.
    let early = b.cmpi(crate::dialect::builder::CmpI::Slt, mp, k(10));
    let m = b.select(early, add(mp, k(3)), sub(mp, k(9)));
    let jan_feb = b.cmpi(crate::dialect::builder::CmpI::Sle, m, k(2));
    let y = add(y, b.cast("arith.extui", jan_feb, b.i64()));
    (y, m, d)
}

/// Nanoseconds (i64) → float seconds: `floor(ns / 1000) / 1e6 + (ns mod 1000) / 1e9`.
fn seconds<'c>(b: &Builder<'c>, ns: Value<'c>) -> Value<'c> {
    let thousand = b.const_i64(1000);
    let us = b.cfunc_floordiv(ns, thousand);
    let rest = b.cfunc_mod(ns, thousand);
    let us_f = b.cast("arith.sitofp", us, b.f64());
    let rest_f = b.cast("arith.sitofp", rest, b.f64());
    let million = b.const_f64(1e6);
    let billion = b.const_f64(1e9);
    let a = b.bin("arith.divf", us_f, million);
    let c = b.bin("arith.divf", rest_f, billion);
    b.bin("arith.addf", a, c)
}

const NS_PER_US: i128 = 1_000;
const NS_PER_SECOND: i128 = 1_000_000_000;
const NS_PER_DAY: i128 = 86_400 * NS_PER_SECOND;

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`), exact for every year.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn to_i64_ns(ns: i128, what: &str) -> Result<i64, String> {
    i64::try_from(ns).map_err(|_| {
        format!("{what} is outside the int64-nanosecond range (about 1677-09-21 to 2262-04-11, ±292 years)")
    })
}

/// Binds positional and keyword arguments to `names`, each at most once.
fn bind<'a>(
    func: &str,
    names: &[&str],
    args: &'a [ConstValue],
    kwargs: &'a [(String, ConstValue)],
) -> Result<Vec<Option<&'a ConstValue>>, String> {
    if args.len() > names.len() {
        return Err(format!(
            "{func}() takes at most {} positional arguments ({}) but {} were given",
            names.len(),
            names.join(", "),
            args.len()
        ));
    }
    let mut bound: Vec<Option<&ConstValue>> = vec![None; names.len()];
    for (i, a) in args.iter().enumerate() {
        bound[i] = Some(a);
    }
    for (k, v) in kwargs {
        let i = names.iter().position(|n| n == k).ok_or_else(|| {
            format!(
                "{func}() has no argument '{k}'; it takes {}",
                names.join(", ")
            )
        })?;
        if bound[i].is_some() {
            return Err(format!("{func}() got argument '{k}' twice"));
        }
        bound[i] = Some(v);
    }
    Ok(bound)
}

/// `datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0,
/// tzinfo=timezone.utc)` → nanoseconds since the epoch, exactly. The caller
/// checks `tzinfo` (a naive datetime is an error) and passes the other
/// arguments, which must be ints.
pub fn fold_datetime(args: &[ConstValue], kwargs: &[(String, ConstValue)]) -> Result<i64, String> {
    const NAMES: [&str; 7] = [
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "microsecond",
    ];
    let bound = bind("datetime", &NAMES, args, kwargs)?;
    let mut v = [0i64; 7];
    for (i, b) in bound.iter().enumerate() {
        v[i] = match b {
            Some(ConstValue::Int(x)) => *x,
            Some(ConstValue::Bool(x)) => *x as i64,
            Some(other) => {
                return Err(format!(
                    "datetime() argument '{}' must be an int, not {}",
                    NAMES[i],
                    other.ty()
                ))
            }
            None if i < 3 => {
                return Err(format!(
                    "datetime() needs year, month and day; '{}' is missing",
                    NAMES[i]
                ))
            }
            None => 0,
        };
    }
    let [y, mo, d, h, mi, s, us] = v;
    let check = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(format!("datetime(): {what}"))
        }
    };
    check((1..=9999).contains(&y), "year must be in 1..9999")?;
    check((1..=12).contains(&mo), "month must be in 1..12")?;
    check(
        (1..=days_in_month(y, mo)).contains(&d),
        "day is out of range for month",
    )?;
    check((0..24).contains(&h), "hour must be in 0..23")?;
    check((0..60).contains(&mi), "minute must be in 0..59")?;
    check((0..60).contains(&s), "second must be in 0..59")?;
    check(
        (0..1_000_000).contains(&us),
        "microsecond must be in 0..999999",
    )?;
    let ns = days_from_civil(y, mo, d) as i128 * NS_PER_DAY
        + (h as i128 * 3600 + mi as i128 * 60 + s as i128) * NS_PER_SECOND
        + us as i128 * NS_PER_US;
    to_i64_ns(ns, "the datetime")
}

/// Fixed-point fraction bits of the timedelta sum: nanoseconds · 2^60.
const FRACTION_BITS: u32 = 60;

/// An int or float argument times `unit` nanoseconds, in nanoseconds ·
/// 2^60: exact, except that a float's bits below 2^-60 ns become a sticky
/// low bit (enough to round the sum correctly).
fn fixed_times(v: &ConstValue, unit: i128, name: &str) -> Result<i128, String> {
    let too_big = || format!("timedelta() argument '{name}' is too large");
    let (num, shift): (i128, u32) = match v {
        ConstValue::Int(x) => (*x as i128 * unit, 0),
        ConstValue::Bool(x) => (*x as i128 * unit, 0),
        ConstValue::Float(f) if f.is_finite() => {
            // |f| = mantissa · 2^exp exactly.
            let bits = f.to_bits();
            let negative = bits >> 63 == 1;
            let exp = ((bits >> 52) & 0x7ff) as i32;
            let frac = (bits & ((1u64 << 52) - 1)) as i128;
            let (mant, e) = if exp == 0 {
                (frac, -1074)
            } else {
                (frac | (1 << 52), exp - 1075)
            };
            let mant = if negative { -mant } else { mant };
            if e >= 0 {
                let m = mant.checked_mul(1i128.checked_shl(e as u32).ok_or_else(too_big)?);
                (m.and_then(|m| m.checked_mul(unit)).ok_or_else(too_big)?, 0)
            } else {
                (mant * unit, (-e) as u32)
            }
        }
        ConstValue::Float(_) => return Err(format!("timedelta() argument '{name}' is not finite")),
        other => {
            return Err(format!(
                "timedelta() argument '{name}' must be an int or float, not {}",
                other.ty()
            ))
        }
    };
    if shift <= FRACTION_BITS {
        num.checked_mul(1i128 << (FRACTION_BITS - shift))
            .ok_or_else(too_big)
    } else {
        let drop = shift - FRACTION_BITS;
        let q = if drop >= 127 {
            if num < 0 {
                -1
            } else {
                0
            }
        } else {
            num >> drop
        };
        let exact = drop < 127 && (q << drop) == num;
        Ok(if exact { q } else { q | 1 })
    }
}

/// Rounds `num / 2^shift` half to even.
fn round_half_even(num: i128, shift: u32) -> i128 {
    let q = num >> shift; // floor
    let r = num - (q << shift);
    let half = 1i128 << (shift - 1);
    if r > half || (r == half && q & 1 == 1) {
        q + 1
    } else {
        q
    }
}

/// `timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0,
/// hours=0, weeks=0)` → nanoseconds. Int arguments are exact; a float
/// argument contributes its exact binary value, and the sum is rounded to
/// the nanosecond, half to even (CPython keeps microseconds only).
pub fn fold_timedelta(args: &[ConstValue], kwargs: &[(String, ConstValue)]) -> Result<i64, String> {
    const NAMES: [&str; 7] = [
        "days",
        "seconds",
        "microseconds",
        "milliseconds",
        "minutes",
        "hours",
        "weeks",
    ];
    const UNITS: [i128; 7] = [
        NS_PER_DAY,
        NS_PER_SECOND,
        NS_PER_US,
        1_000_000,
        60 * NS_PER_SECOND,
        3600 * NS_PER_SECOND,
        7 * NS_PER_DAY,
    ];
    let bound = bind("timedelta", &NAMES, args, kwargs)?;
    let too_big = || "the timedelta is outside int64 nanoseconds (±292 years)".to_string();
    let mut total: i128 = 0;
    for (i, b) in bound.iter().enumerate() {
        let Some(v) = b else { continue };
        let term = fixed_times(v, UNITS[i], NAMES[i])?;
        total = total.checked_add(term).ok_or_else(too_big)?;
    }
    to_i64_ns(round_half_even(total, FRACTION_BITS), "the timedelta")
}
