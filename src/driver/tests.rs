//! Unit tests that need the whole compiler: a registry with the built-ins
//! (`with_defaults`) or a full compile. They live at the top layer so that
//! the layers below never import upward, even in tests.

use crate::registry::CompilationContext;

/// `datetime(...)`/`timedelta(...)` constants, folded by the datetime
/// extension through the frontend's constant parser.
mod datetime_constants {
    use super::CompilationContext;
    use crate::frontend::literal::parse_const;
    use crate::types::ConstValue;
    use std::process::Command;

    /// Constructor calls folded by cfuncc and, independently, by CPython:
    /// `datetime`/`timedelta` arithmetic for whole microseconds, and exact
    /// `Fraction` arithmetic rounded half to even for finer float arguments
    /// (CPython's own timedelta keeps microseconds only).
    const CASES: &[&str] = &[
        "datetime(1970, 1, 1, tzinfo=timezone.utc)",
        "datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=timezone.utc)",
        "datetime(2000, 3, 1, tzinfo=timezone.utc)",
        "datetime(1900, 3, 1, 12, tzinfo=timezone.utc)",
        "datetime(1677, 9, 22, tzinfo=timezone.utc)",
        "datetime(2262, 4, 11, 23, 47, 16, 854775, tzinfo=timezone.utc)",
        "datetime(1969, 12, 31, 23, 59, 59, 1, tzinfo=UTC)",
        "datetime(year=2021, month=7, day=4, minute=3, tzinfo=timezone.utc)",
        "timedelta(0)",
        "timedelta(days=-1, seconds=1)",
        "timedelta(weeks=3, days=2, hours=-5, minutes=7, seconds=11, milliseconds=13, microseconds=17)",
        "timedelta(seconds=1.5)",
        "timedelta(seconds=0.1)",
        "timedelta(milliseconds=0.0015)",
        "timedelta(microseconds=0.5)",
        "timedelta(microseconds=0.0005)",
        "timedelta(microseconds=0.0015)",
        "timedelta(days=0.1, seconds=-0.3)",
        "timedelta(hours=1e-12)",
        "timedelta(days=106751, seconds=85636, microseconds=854775)",
    ];

    const ORACLE: &str = r#"
import sys
from datetime import datetime, timedelta, timezone, UTC
from fractions import Fraction
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
UNITS = dict(days=86400 * 10**9, seconds=10**9, microseconds=1000, milliseconds=10**6,
             minutes=60 * 10**9, hours=3600 * 10**9, weeks=7 * 86400 * 10**9)
ORDER = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"]
def timedelta_ns(*args, **kw):
    kw.update(zip(ORDER, args))
    return round(sum(Fraction(v) * UNITS[k] for k, v in kw.items()))  # half to even
for line in sys.stdin:
    e = line.strip()
    if e.startswith("datetime"):
        v = eval(e)
        print((v - EPOCH) // timedelta(microseconds=1) * 1000)
    else:
        print(eval(e, {"timedelta": timedelta_ns}))
"#;

    #[test]
    fn folding_is_exact_to_the_nanosecond_against_cpython() {
        let mut child = Command::new("python3")
            .args(["-c", ORACLE])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all((CASES.join("\n") + "\n").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let expected: Vec<i64> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.parse().unwrap())
            .collect();
        assert_eq!(expected.len(), CASES.len());
        let ctx = CompilationContext::with_defaults().unwrap();
        for (case, want) in CASES.iter().zip(expected) {
            let got = match parse_const(&ctx, case) {
                Ok(ConstValue::Scalar(_, ns)) => match *ns {
                    ConstValue::Int(ns) => ns,
                    other => panic!("{case}: {other:?}"),
                },
                other => panic!("{case}: {other:?}"),
            };
            assert_eq!(got, want, "{case}");
        }
    }

    #[test]
    fn out_of_range_and_invalid_calls_are_errors() {
        let ctx = CompilationContext::with_defaults().unwrap();
        for (case, why) in [
            (
                "datetime(2262, 4, 11, 23, 47, 16, 854776, tzinfo=timezone.utc)",
                "outside",
            ),
            ("datetime(1677, 9, 21, tzinfo=timezone.utc)", "outside"),
            ("datetime(2024, 13, 1, tzinfo=timezone.utc)", "month"),
            ("datetime(2024, 1, 1)", "naive"),
            ("datetime(2024, 1, 1, tzinfo=tz)", "only tzinfo"),
            ("timedelta(days=106752)", "outside"),
            ("timedelta(seconds=1e300)", "too large"),
            ("timedelta(fortnights=1)", "no argument 'fortnights'"),
            ("timedelta(1, days=1)", "twice"),
        ] {
            let e = parse_const(&ctx, case).expect_err(case);
            assert!(e.contains(why), "{case}: {e}");
        }
    }
}

/// Float dict constants (`frontend/signature.rs`).
mod float_dict_constants {
    use crate::diagnostics::Error;
    use crate::driver::{compile_to_mlir, CompilationOptions, Constants, Stage};
    use crate::registry::CompilationContext;
    use crate::types::ConstValue;

    /// A NaN key can only come through the API (`--const` has no NaN
    /// literal); it is a located error, and -0.0 becomes the key 0.0.
    #[test]
    fn float_dict_constants_reject_nan_keys_and_merge_signed_zeros() {
        let ctx = CompilationContext::with_defaults().unwrap();
        let src = "def f(x: Signal[float], t: NumbaDict[float, float]) -> Signal[float]:\n    return t.get(x, 0.0)\n";
        let with_key = |k: f64| {
            let mut args = Constants::new();
            let kv = vec![
                (ConstValue::Float(k), ConstValue::Float(1.0)),
                (ConstValue::Float(0.0), ConstValue::Float(2.0)),
            ];
            args.insert("t".into(), ConstValue::Dict(kv));
            compile_to_mlir(
                &ctx,
                src,
                "f",
                &args,
                &CompilationOptions::default(),
                Stage::Cfunc,
            )
        };
        match with_key(f64::NAN) {
            Err(Error::Compile(e)) => {
                let text = e.to_string();
                assert!(
                    text.contains(":1:25: error: constant 't' has a NaN key"),
                    "{text}"
                );
            }
            other => panic!("expected a compile error, got {other:?}"),
        }
        // {-0.0: 1.0, 0.0: 2.0}: both keys are bits 0, so the dict's
        // global (a repeated key takes the last value) is {0.0: 2.0}.
        let ir = with_key(-0.0).unwrap();
        assert!(ir.contains("keys = array<i64: 0, 0>"), "{ir}");
    }
}

/// The runtime's machine-code parts: a node's whole object (the JIT,
/// `--emit obj`) carries them as assembly and calls none; its object for a
/// link leaves them to the link, which adds each part it calls once.
mod runtime_parts {
    use super::CompilationContext;
    use crate::backend::runtime::{parts_called_by, PARTS};
    use crate::driver::{compile_object, CompilationOptions, Constants, ObjectFor};

    const COUNT: &str = "def count(x: Signal[int]) -> Signal[int]:\n    seen: State[NumbaDict] = create_new_dict(int, int)\n    seen[x] = seen.get(x, 0) + 1\n    return seen[x]\n";
    const EMA: &str = "def ema(x: Signal[float]) -> Signal[float]:\n    s: State[float] = 0.0\n    s = 0.5 * x + 0.5 * s\n    return s\n";

    fn object(source: &str, function: &str, purpose: ObjectFor) -> Vec<u8> {
        let ctx = CompilationContext::with_defaults().unwrap();
        let o = CompilationOptions::default();
        compile_object(&ctx, source, function, &Constants::new(), &o, purpose)
            .unwrap()
            .bytes
    }

    fn names(objects: &[&[u8]]) -> Vec<&'static str> {
        parts_called_by(objects)
            .unwrap()
            .iter()
            .map(|p| p.name)
            .collect()
    }

    #[test]
    fn a_link_adds_each_part_the_objects_call_once() {
        let linked = object(COUNT, "count", ObjectFor::Link);
        let parts = names(&[&linked]);
        assert!(
            parts.contains(&"dict") && parts.contains(&"free"),
            "{parts:?}"
        );
        assert!(
            !parts.contains(&"sort") && !parts.contains(&"slice"),
            "{parts:?}"
        );
        // Two dict nodes: the same parts, once each.
        assert_eq!(names(&[&linked, &linked]), parts);
        // A node without containers calls none; nor does a whole object.
        assert!(names(&[&object(EMA, "ema", ObjectFor::Link)]).is_empty());
        assert!(names(&[&object(COUNT, "count", ObjectFor::Emit)]).is_empty());
        // Every part's object defines its entries, hidden (the `.so`
        // exports none of them), and no other global.
        for p in PARTS {
            use object::{Object, ObjectSymbol, SymbolScope};
            let file = object::File::parse(p.object).unwrap();
            let mut globals: Vec<&str> = file
                .symbols()
                .filter(|s| s.is_definition() && s.is_global())
                .map(|s| {
                    assert_eq!(s.scope(), SymbolScope::Linkage, "{}: {s:?}", p.name);
                    s.name().unwrap()
                })
                .collect();
            globals.sort();
            let mut entries = p.entries.to_vec();
            entries.sort();
            assert_eq!(globals, entries, "{}", p.name);
        }
    }
}
