//! The pass changes no behaviour: nodes with powers compiled with it (in
//! the default pipeline) and without it give the same outputs, bit for bit,
//! tick by tick, at `--opt-level 0` (where LLVM leaves the loops alone) and
//! `2`, on random ticks and on delicate values (int64 wrap-around, NaN,
//! ±inf, ±0.0, subnormals); and CPython agrees where int64 does not wrap.
//! The pass must also have fired.

use cfuncc::runner::{Node, Value};
use cfuncc::{
    compile_to_mlir, compile_to_so, CompilationContext, CompilationOptions, Constants, OptLevel,
    Stage,
};
use std::process::Command;

const NODES: &[(&str, &str)] = &[
    (
        "powers",
        "def powers(x: Signal[float], n: Signal[int]) -> Outputs(a=float, b=int, c=int, d=int):
    return x ** 2 + float(n ** 3), n ** 2 + n ** 0, n ** 7, (n % 5) ** (n % 9)
",
    ),
    (
        "mixed",
        "def mixed(x: Signal[float], n: Signal[int]) -> Signal[float]:
    s: State[float] = 0.0
    k = n % 9
    s = s * 0.5 + x ** 2 - x ** 3 + (n ** 8) * 1e-12 + float(k ** k) + float((n + 1) ** 4)
    return s
",
    ),
];

/// Ticks: the delicate values first, then a seeded pseudo-random series.
fn ticks() -> Vec<(f64, i64)> {
    let mut v = vec![
        (f64::NAN, 0),
        (f64::INFINITY, 1),
        (f64::NEG_INFINITY, -1),
        (-0.0, i64::MAX),
        (0.0, i64::MIN),
        (1e200, 3_037_000_500),
        (-1e-160, -3_037_000_500),
        (f64::MIN_POSITIVE / 3.0, 123_456_789),
        (-2.5, -7),
    ];
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..2000 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let x = (s >> 11) as f64 / (1u64 << 53) as f64 * 2e6 - 1e6;
        v.push((x, (s % 2_000_001) as i64 - 1_000_000));
    }
    v
}

fn run(ctx: &CompilationContext, name: &str, src: &str, opt: OptLevel) -> Vec<Vec<Option<Value>>> {
    let dir = tempfile::tempdir().unwrap();
    let so = dir.path().join(format!("{name}.so"));
    let opts = CompilationOptions {
        opt_level: opt,
        ..Default::default()
    };
    let r = compile_to_so(ctx, src, name, &Constants::new(), &opts, &so)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut node = Node::load(&so, &r.manifest()).unwrap();
    node.start().unwrap();
    ticks()
        .into_iter()
        .map(|(x, n)| {
            node.execute(&[Value::Float(x), Value::Int(n)], &[], &[])
                .unwrap_or_else(|f| panic!("{name}: {f:?}"))
        })
        .collect()
}

/// Values equal bit for bit (NaN equal to NaN).
fn same(a: &[Option<Value>], b: &[Option<Value>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| match (a, b) {
            (Some(Value::Float(x)), Some(Value::Float(y))) => {
                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
            }
            (a, b) => a == b,
        })
}

#[test]
fn outputs_are_unchanged_tick_by_tick() {
    let with = research_pass::context().unwrap();
    let without = CompilationContext::with_defaults().unwrap();
    for (name, src) in NODES {
        // The pass fired: after it, no constant square is left.
        let after = compile_to_mlir(
            &with,
            src,
            name,
            &Constants::new(),
            &CompilationOptions::default(),
            Stage::AfterPass(research_pass::NAME.into()),
        )
        .unwrap();
        let before = compile_to_mlir(
            &without,
            src,
            name,
            &Constants::new(),
            &CompilationOptions::default(),
            Stage::AfterPass("cfunc-resolve".into()),
        )
        .unwrap();
        let pows = |t: &str| t.matches("math.powf").count() + t.matches("cfunc.ipow").count();
        assert!(
            pows(&after) < pows(&before),
            "{name}: the pass did not fire:\n{after}"
        );
        for opt in [OptLevel::O0, OptLevel::O2] {
            let (a, b) = (run(&with, name, src, opt), run(&without, name, src, opt));
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                assert!(
                    same(x, y),
                    "{name} at {opt}: tick {i} ({:?}): with the pass {x:?}, without {y:?}",
                    ticks()[i]
                );
            }
        }
    }
}

/// `powers` as CPython runs it (the node is stateless).
const POWERS_PY: &str = "def powers(x, n):
    return x ** 2 + float(n ** 3), n ** 2 + n ** 0, n ** 7, (n % 5) ** (n % 9)
";

/// CPython, the oracle, on `powers` where int64 does not wrap.
#[test]
fn cpython_agrees() {
    let (name, src) = NODES[0];
    let inputs: Vec<(f64, i64)> = ticks()
        .into_iter()
        .skip(9)
        .filter(|(_, n)| n.abs() < 500)
        .take(20)
        .chain([
            (f64::NAN, 3),
            (f64::INFINITY, -2),
            (-0.0, 0),
            (1e100, 11),
            (-7.25, -499),
        ])
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let so = dir.path().join("powers.so");
    let opts = CompilationOptions {
        opt_level: OptLevel::O0,
        ..Default::default()
    };
    let ctx = research_pass::context().unwrap();
    let r = compile_to_so(&ctx, src, name, &Constants::new(), &opts, &so).unwrap();
    let mut node = Node::load(&so, &r.manifest()).unwrap();
    node.start().unwrap();
    // Floats as their bits, so nothing is lost to formatting (NaN as nan).
    let script = format!(
        "import math, struct\n{POWERS_PY}\
         def cell(v):\n    \
         if isinstance(v, float):\n        \
         return 'nan' if math.isnan(v) else 'f%d' % struct.unpack('<Q', struct.pack('<d', v))[0]\n    \
         return 'i%d' % v\n\
         for x, n in [{}]:\n    print(' '.join(cell(v) for v in powers(x, n)))\n",
        inputs
            .iter()
            .map(|(x, n)| format!("(float('{x}'), {n})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3 is needed (scripts/install-deps)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = String::from_utf8_lossy(&out.stdout);
    let cell = |v: &Option<Value>| match v {
        Some(Value::Float(f)) if f.is_nan() => "nan".to_string(),
        Some(Value::Float(f)) => format!("f{}", f.to_bits()),
        Some(Value::Int(i)) => format!("i{i}"),
        o => format!("{o:?}"),
    };
    let mut lines = 0;
    for (line, (x, n)) in expected.lines().zip(&inputs) {
        let outs = node
            .execute(&[Value::Float(*x), Value::Int(*n)], &[], &[])
            .unwrap();
        let ours = outs.iter().map(cell).collect::<Vec<_>>().join(" ");
        assert_eq!(ours, line, "x={x} n={n}");
        lines += 1;
    }
    assert_eq!(lines, inputs.len());
}
