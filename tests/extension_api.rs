//! Extension points, through the public API only: register, compile, run,
//! check. Expected ticks come from CPython running the same node with the
//! same registrations written as Python.

use cfuncc::context::BinopRule;
use cfuncc::extensions::enums::EnumType;
use cfuncc::runner::{Node, Value};
use cfuncc::{compile_to_so, CompilationContext, CompilationOptions, Constants, Error, Ty};
use std::process::Command;

mod common;

/// Runs `function` of `prelude + source` in CPython on each tick's int
/// inputs; `None` for a tick that returns None. For stateless nodes.
fn cpython(prelude: &str, source: &str, function: &str, ticks: &[Vec<i64>]) -> Vec<Option<i64>> {
    let program = format!(
        "{prelude}\nclass _Any:\n    def __getitem__(self, k): return self\nSignal = _Any()\n{source}\nimport json, sys\nfor args in json.loads(sys.argv[1]):\n    print(json.dumps({function}(*args)))\n"
    );
    let out = Command::new("python3")
        .args(["-c", &program, &serde_json::to_string(ticks).unwrap()])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn run(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    ticks: &[Vec<i64>],
) -> Vec<Option<i64>> {
    let dir = common::temp_dir("extension_api");
    let so = dir.join(format!("{function}.so"));
    let r = compile_to_so(
        ctx,
        source,
        function,
        &Constants::new(),
        &CompilationOptions::default(),
        &so,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut node = Node::load(&r.so_path, &r.manifest()).unwrap();
    node.start().unwrap();
    ticks
        .iter()
        .map(|t| {
            let inputs: Vec<Value> = t.iter().map(|v| Value::Int(*v)).collect();
            match node.execute(&inputs, &[], &[]).unwrap()[0] {
                Some(Value::Int(v)) => Some(v),
                None => None,
                Some(other) => panic!("not an int: {other:?}"),
            }
        })
        .collect()
}

const ENUM_NODE: &str =
    "def signed(side: Signal[Side], venue: Signal[Venue], qty: Signal[int]) -> Signal[int]:
    if venue == Venue.ARCA:
        return None
    signed_qty = qty if side == Side.BUY else -qty
    return signed_qty * Side.SELL + (100 if venue != Venue.NYSE else 0)
";

fn side_and_venue(ctx: &mut CompilationContext) {
    ctx.register_enum(EnumType {
        name: "Side".into(),
        members: vec![("BUY".into(), 1), ("SELL".into(), -1)],
    })
    .unwrap();
    ctx.register_enum(EnumType {
        name: "Venue".into(),
        members: vec![("NYSE".into(), 0), ("NASDAQ".into(), 1), ("ARCA".into(), 7)],
    })
    .unwrap();
}

#[test]
fn enums_register_types_and_members_and_stay_in_their_context() {
    let mut ctx = CompilationContext::with_defaults().unwrap();
    side_and_venue(&mut ctx);
    let ticks = vec![
        vec![1, 0, 5],
        vec![-1, 1, 2],
        vec![1, 7, 9],
        vec![-1, 0, 11],
    ];
    let prelude = "class Side:\n    BUY = 1\n    SELL = -1\nclass Venue:\n    NYSE = 0\n    NASDAQ = 1\n    ARCA = 7\n";
    let expected = cpython(prelude, ENUM_NODE, "signed", &ticks);
    assert_eq!(run(&ctx, ENUM_NODE, "signed", &ticks), expected);

    // A context without the registration does not know the enum.
    let plain = CompilationContext::with_defaults().unwrap();
    let dir = common::temp_dir("extension_api");
    match compile_to_so(
        &plain,
        ENUM_NODE,
        "signed",
        &Constants::new(),
        &CompilationOptions::default(),
        &dir.join("x.so"),
    ) {
        Err(Error::Compile(e)) => assert!(e.to_string().contains("unsupported type 'Side'"), "{e}"),
        other => panic!(
            "expected a compile error, got {:?}",
            other.map(|r| r.native_name)
        ),
    }
    // Registration errors.
    assert!(ctx
        .register_enum(EnumType {
            name: "int".into(),
            members: vec![]
        })
        .is_err());
    assert!(ctx
        .register_enum(EnumType {
            name: "E".into(),
            members: vec![("A".into(), 1), ("A".into(), 2)]
        })
        .is_err());
}

#[test]
fn types_file_registers_enums_and_rejects_what_it_does_not_know() {
    let dir = common::temp_dir("extension_api");
    let good = dir.join("types.json");
    std::fs::write(&good, r#"{"enums": {"Side": {"BUY": 1, "SELL": -1}, "Venue": {"NYSE": 0, "NASDAQ": 1, "ARCA": 7}}}"#).unwrap();
    let mut ctx = CompilationContext::with_defaults().unwrap();
    ctx.load_types_file(&good).unwrap();
    let mut by_api = CompilationContext::with_defaults().unwrap();
    side_and_venue(&mut by_api);
    let ticks = vec![vec![1, 1, 3], vec![-1, 7, 4], vec![-1, 0, 8]];
    assert_eq!(
        run(&ctx, ENUM_NODE, "signed", &ticks),
        run(&by_api, ENUM_NODE, "signed", &ticks)
    );
    for (text, why) in [
        (r#"{"enums": {"Side": {"BUY": 1.5}}}"#, "must be an int64"),
        (r#"{"structs": {}}"#, "not supported yet"),
        (r#"{"colours": {}}"#, "unknown section"),
        ("[1", "not JSON"),
    ] {
        let f = dir.join("bad.json");
        std::fs::write(&f, text).unwrap();
        let e = CompilationContext::with_defaults()
            .unwrap()
            .load_types_file(&f)
            .unwrap_err();
        assert!(e.to_string().contains(why), "{text}: {e}");
    }
}

#[test]
fn binop_rules_type_arithmetic_on_registered_types() {
    // Without a rule, timedelta * timedelta is a located error; a rule
    // registered in one context makes it an int64 product there only.
    const NODE: &str = "from datetime import timedelta\n\ndef sq(d: Signal[timedelta]) -> Signal[int]:\n    return (d * d) // timedelta(microseconds=1)\n";
    let dir = common::temp_dir("extension_api");
    let plain = CompilationContext::with_defaults().unwrap();
    let e = compile_to_so(
        &plain,
        NODE,
        "sq",
        &Constants::new(),
        &CompilationOptions::default(),
        &dir.join("sq0.so"),
    )
    .err()
    .expect("no rule for timedelta * timedelta");
    assert!(
        e.to_string()
            .contains("unsupported operand types for *: timedelta and timedelta"),
        "{e}"
    );
    let mut ctx = CompilationContext::with_defaults().unwrap();
    ctx.register_binop(BinopRule {
        lhs: Ty::Timedelta,
        op: ruff_python_ast::Operator::Mult,
        rhs: Ty::Timedelta,
        result: Ty::Timedelta,
    });
    let ticks = vec![vec![3_000], vec![-7_000], vec![1_000_000]];
    // CPython: the product of the nanosecond counts, floor-divided by 1000 ns.
    let expected = cpython("", "def sq(d):\n    return (d * d) // 1000\n", "sq", &ticks);
    assert_eq!(run(&ctx, NODE, "sq", &ticks), expected);
}
