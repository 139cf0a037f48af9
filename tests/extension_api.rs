//! Extension points, through the public API only: register, compile, run,
//! check. Expected ticks come from CPython running the same node with the
//! same registrations written as Python.

use cfuncc::context::BinopRule;
use cfuncc::extensions::enums::EnumType;
use cfuncc::runner::{Node, Value};
use cfuncc::{
    compile_to_so, CompilationContext, CompilationOptions, ConstValue, Constants, Error, Ty,
};
use std::process::Command;

mod common;

/// A fresh directory per compilation, in one for the test process: tests
/// run in parallel threads of one process, and dlopen caches libraries by
/// path. Kept: a loaded node's `.so` outlives the test that compiled it.
fn fresh_dir() -> std::path::PathBuf {
    static ROOT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let root = ROOT.get_or_init(|| common::temp_dir("extension_api").keep());
    tempfile::Builder::new()
        .prefix("node-")
        .tempdir_in(root)
        .expect("temp dir")
        .keep()
}

/// Compiles `function` of `source` with the default options into a fresh
/// directory.
fn compile(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
) -> cfuncc::Result<cfuncc::CompilationResult> {
    let so = fresh_dir().join(format!("{function}.so"));
    compile_to_so(
        ctx,
        source,
        function,
        &Constants::new(),
        &CompilationOptions::default(),
        &so,
    )
}

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
    let r = compile(ctx, source, function).unwrap_or_else(|e| panic!("{e}"));
    let mut node = Node::load(&r.so_path, &r.manifest()).unwrap();
    node.start().unwrap();
    ticks
        .iter()
        .map(|t| {
            let inputs: Vec<Value> = t.iter().map(|v| Value::Int(*v)).collect();
            match node.execute(&inputs, &[], &[]).unwrap()[0].clone() {
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
    ctx.register_enum(EnumType::new("Side", &[("BUY", 1), ("SELL", -1)]))
        .unwrap();
    ctx.register_enum(EnumType::new(
        "Venue",
        &[("NYSE", 0), ("NASDAQ", 1), ("ARCA", 7)],
    ))
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
    match compile(&plain, ENUM_NODE, "signed") {
        Err(Error::Compile(e)) => assert!(e.to_string().contains("unsupported type 'Side'"), "{e}"),
        other => panic!(
            "expected a compile error, got {:?}",
            other.map(|r| r.native_name)
        ),
    }
    // Registration errors.
    assert!(ctx.register_enum(EnumType::new("int", &[])).is_err());
    assert!(ctx
        .register_enum(EnumType::new("E", &[("A", 1), ("A", 2)]))
        .is_err());
}

#[test]
fn types_file_registers_enums_and_rejects_what_it_does_not_know() {
    let dir = fresh_dir();
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
        (r#"{"structs": {"Q": {"size": 8}}}"#, "needs \"fields\""),
        (
            r#"{"structs": {"Q": {"size": 8, "fields": [{"name": "a", "type": "str", "offset": 0}]}}}"#,
            "type 'str'",
        ),
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
    let plain = CompilationContext::with_defaults().unwrap();
    let e = compile(&plain, NODE, "sq").expect_err("no rule for timedelta * timedelta");
    assert!(
        e.to_string()
            .contains("unsupported operand types for *: timedelta and timedelta"),
        "{e}"
    );
    let mut ctx = CompilationContext::with_defaults().unwrap();
    let td = ctx.type_for("timedelta").unwrap();
    ctx.register_binop(BinopRule {
        lhs: td,
        op: ruff_python_ast::Operator::Mult,
        rhs: td,
        result: td,
    });
    let ticks = vec![vec![3_000], vec![-7_000], vec![1_000_000]];
    // CPython: the product of the nanosecond counts, floor-divided by 1000 ns.
    let expected = cpython("", "def sq(d):\n    return (d * d) // 1000\n", "sq", &ticks);
    assert_eq!(run(&ctx, NODE, "sq", &ticks), expected);
}

/// Runs `function` of `source` in CPython on JSON ticks, with struct
/// inputs as objects whose fields are the JSON object's keys and struct
/// results turned back into JSON objects. `prelude` defines the types.
fn cpython_json(
    prelude: &str,
    source: &str,
    function: &str,
    ticks: &serde_json::Value,
) -> Vec<serde_json::Value> {
    let program = format!(
        r#"from __future__ import annotations
import json, sys
from types import SimpleNamespace
class _Any:
    def __getitem__(self, k): return self
    def __call__(self, **kw): return self
Signal = State = _Any()
def Outputs(**kw): return None
{prelude}
{source}
def out(v):
    if isinstance(v, SimpleNamespace): return dict(vars(v))
    if isinstance(v, tuple): return [out(x) for x in v]
    return v
for args in json.loads(sys.argv[1]):
    args = [SimpleNamespace(**a) if isinstance(a, dict) else a for a in args]
    print(json.dumps(out({function}(*args))))
"#
    );
    let out = Command::new("python3")
        .args(["-c", &program, &ticks.to_string()])
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

fn quote(ctx: &mut CompilationContext) {
    use cfuncc::types::{StructDef, StructField};
    let f = |name: &str, ty, offset| StructField::new(name, ty, offset);
    ctx.register_struct(StructDef {
        name: "Quote".into(),
        size: 32,
        fields: vec![
            f("bid", Ty::Float, 0),
            f("ask", Ty::Float, 8),
            f("size", Ty::Int, 16),
            f("live", Ty::Bool, 24),
        ],
    })
    .unwrap();
}

/// Drives a compiled node on JSON ticks through the runner; outputs as
/// `cfuncc run` prints them (structs as objects), as a list per tick.
fn run_json(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    ticks: &serde_json::Value,
) -> (Vec<serde_json::Value>, serde_json::Value) {
    let r = compile(ctx, source, function).unwrap_or_else(|e| panic!("{e}"));
    let manifest = r.manifest();
    let mut node = Node::load(&r.so_path, &manifest).unwrap();
    node.start().unwrap();
    let outs = ticks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let inputs: Vec<Value> = t
                .as_array()
                .unwrap()
                .iter()
                .zip(node.input_types())
                .map(|(v, ty)| Value::from_json(v, ty).unwrap())
                .collect();
            let outs = node.execute(&inputs, &[], &[]).unwrap();
            let vals: Vec<serde_json::Value> = outs
                .iter()
                .zip(node.output_types())
                .map(|(o, t)| {
                    o.as_ref()
                        .map_or(serde_json::Value::Null, |v| v.to_json_typed(t))
                })
                .collect();
            if vals.len() == 1 {
                vals[0].clone()
            } else {
                serde_json::Value::Array(vals)
            }
        })
        .collect();
    (outs, manifest)
}

#[test]
fn struct_fields_read_and_write_in_every_position() {
    const NODE: &str = "def f(q: Signal[Quote], k: Signal[int]) -> Outputs(out=Quote, spread=float, flag=bool, total=int):
    spread = q.ask - q.bid
    if q.live and spread > 0.5:
        q.size += k
    q.bid = q.bid * 2 if k > 0 else -q.ask
    flag = not q.live or q.size > 10
    total = max(q.size, k) + int(q.live) * 100
    while q.size > 20:
        q.size -= 7
    q.live = q.size % 2 == 0
    return q, spread, flag, total
";
    let mut ctx = CompilationContext::with_defaults().unwrap();
    quote(&mut ctx);
    let q = |bid: f64, ask: f64, size: i64, live: bool| serde_json::json!({"bid": bid, "ask": ask, "size": size, "live": live});
    let ticks = serde_json::json!([
        [q(1.0, 2.0, 5, true), 3],
        [q(1.5, 1.75, 9, true), -2],
        [q(0.25, 3.0, 30, false), 40],
        [q(-1.0, 1.0, 12, true), 25],
    ]);
    let (got, _) = run_json(&ctx, NODE, "f", &ticks);
    let expected = cpython_json("", NODE, "f", &ticks);
    assert_eq!(got, expected);
}

#[test]
fn struct_locals_alias_as_in_python() {
    // A local bound to a struct names the same memory, as a Python name
    // bound to an object does: writes through the alias show in the
    // original, and rebinding the local on one path only is fine.
    const NODE: &str = "def f(q: Signal[Quote], x: Signal[int]) -> Signal[float]:
    alias = q
    alias.bid = alias.bid + x
    other = alias
    if x > 10:
        other.size = 0
        other = q
    return q.bid + other.size + alias.ask
";
    let mut ctx = CompilationContext::with_defaults().unwrap();
    quote(&mut ctx);
    let q = |bid: f64, size: i64| serde_json::json!({"bid": bid, "ask": bid + 1.0, "size": size, "live": true});
    let ticks = serde_json::json!([[q(1.0, 5), 3], [q(0.5, 7), 20], [q(2.0, 9), -4]]);
    let (got, _) = run_json(&ctx, NODE, "f", &ticks);
    assert_eq!(got, cpython_json("", NODE, "f", &ticks));
}

#[test]
fn struct_state_is_host_memory_zeroed_at_start_and_listed_in_the_manifest() {
    // best keeps the quote with the highest bid (a copy, not an alias).
    const NODE: &str = "def best_bid(q: Signal[Quote]) -> Signal[Quote]:
    best: State[Quote] = Quote()
    seen: State[int] = 0
    if seen == 0 or q.bid > best.bid:
        best = q
    seen += 1
    best.size = seen
    return best
";
    let mut ctx = CompilationContext::with_defaults().unwrap();
    quote(&mut ctx);
    let q = |bid: f64, size: i64| serde_json::json!({"bid": bid, "ask": bid + 1.0, "size": size, "live": true});
    let ticks = serde_json::json!([[q(1.0, 5)], [q(0.5, 7)], [q(2.0, 9)], [q(1.5, 11)]]);
    let (got, manifest) = run_json(&ctx, NODE, "best_bid", &ticks);
    // CPython with the copy made explicit (state is the node's own memory).
    const PY: &str = "import copy
_best, _seen = SimpleNamespace(bid=0.0, ask=0.0, size=0, live=False), 0
def best_bid(q):
    global _best, _seen
    if _seen == 0 or q.bid > _best.bid:
        _best = copy.copy(q)
    _seen += 1
    _best.size = _seen
    return _best
";
    assert_eq!(got, cpython_json("", PY, "best_bid", &ticks));
    assert_eq!(manifest["struct_state_indices"], serde_json::json!([0]));
    assert_eq!(manifest["struct_state_sizes"], serde_json::json!([32]));
    assert_eq!(manifest["state"][0]["kind"], "struct");
    assert_eq!(
        manifest["structs"]["Quote"]["fields"][3],
        serde_json::json!({"name": "live", "type": "bool", "offset": 24, "storage": "bool"})
    );
}

/// A packed struct registered from Rust with fields of several widths, none
/// aligned: the node reads and writes them as ctypes does (the CPython side
/// is a `ctypes.Structure` with `_pack_ = 1`), the runner's buffers agree,
/// and the manifest's `structs`, read back as a `--types` document, is the
/// same layout (the same semantic key).
#[test]
fn narrow_struct_fields_from_rust_match_ctypes() {
    use cfuncc::types::{Storage, StructDef, StructField};
    const NODE: &str = "
def narrow(q: Signal[P]) -> Signal[P]:
    s: State[P] = None
    s.flag = q.flag
    s.px = q.px + 1.0
    s.qty = q.qty * 2
    s.side = q.side - 1
    s.big = q.big
    return s
";
    let mut ctx = CompilationContext::with_defaults().unwrap();
    let f = |name: &str, ty, offset, s| StructField::new(name, ty, offset).stored_as(s);
    ctx.register_struct(StructDef {
        name: "P".into(),
        size: 18,
        fields: vec![
            f("flag", Ty::Bool, 0, Storage::Bool),
            f("px", Ty::Float, 1, Storage::Float32),
            f("qty", Ty::Int, 5, Storage::Int32),
            f("side", Ty::Int, 9, Storage::UInt8),
            f("big", Ty::Int, 10, Storage::UInt64),
        ],
    })
    .unwrap();
    let q = |flag: bool, px: f64, qty: i64, side: i64, big: i64| serde_json::json!([{"flag": flag, "px": px, "qty": qty, "side": side, "big": big}]);
    let ticks = serde_json::json!([
        q(true, 0.1, 3, 7, 5),
        q(false, 1e-3, i32::MAX as i64, 0, -1),
        q(true, 16777217.0, -(1 << 31), 300, i64::MIN),
        q(false, -2.5, 1 << 40, -1, i64::MAX),
    ]);
    let (got, manifest) = run_json(&ctx, NODE, "narrow", &ticks);
    const PRELUDE: &str = "import ctypes
class P(ctypes.Structure):
    _pack_ = 1
    _fields_ = [('flag', ctypes.c_bool), ('px', ctypes.c_float), ('qty', ctypes.c_int32),
                ('side', ctypes.c_uint8), ('big', ctypes.c_int64)]
";
    const PY: &str = "def narrow(q):
    q = P(**vars(q))
    s = P()
    s.flag = q.flag
    s.px = q.px + 1.0
    s.qty = q.qty * 2
    s.side = q.side - 1
    s.big = q.big
    return {f: getattr(s, f) for f, _ in P._fields_}
";
    assert_eq!(got, cpython_json(PRELUDE, PY, "narrow", &ticks));
    assert_eq!(
        manifest["structs"]["P"]["fields"][1],
        serde_json::json!({"name": "px", "type": "float", "offset": 1, "storage": "float32"})
    );
    // The manifest's layouts are a `--types` document: the same node.
    let mut again = CompilationContext::with_defaults().unwrap();
    again
        .load_types(
            &serde_json::json!({"structs": manifest["structs"]}),
            "manifest",
        )
        .unwrap();
    let r = compile(&again, NODE, "narrow").unwrap();
    assert_eq!(r.manifest()["semantic_key"], manifest["semantic_key"]);
    assert_eq!(r.manifest()["structs"], manifest["structs"]);
}

/// An enum's declared width is the storage of a struct field a `--types`
/// document types as the enum; members must fit it.
#[test]
fn enum_width_is_the_storage_of_enum_typed_fields() {
    use cfuncc::types::Storage;
    let mut ctx = CompilationContext::with_defaults().unwrap();
    ctx.load_types(
        &serde_json::json!({
            "enums": {"Side": {"type": "int8", "members": {"BUY": 1, "SELL": -1}},
                      "Old": {"A": 1}},
            "structs": {"Order": {"size": 2, "fields": [
                {"name": "side", "type": "Side", "offset": 0},
                {"name": "flag", "type": "bool", "offset": 1}]}},
        }),
        "test",
    )
    .unwrap();
    let def = ctx.type_for("Order").unwrap().as_struct().unwrap();
    assert_eq!(def.field("side").unwrap().storage, Storage::Int8);
    assert_eq!(def.field("side").unwrap().ty, Ty::Int);
    // Without a width an enum is int64, as before.
    let e = ctx
        .load_types(
            &serde_json::json!({"structs": {"Two": {"size": 4, "fields": [
                {"name": "old", "type": "Old", "offset": 0}]}}}),
            "test",
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("(int64, 8 bytes at offset 0) lies outside the struct's 4 bytes"),
        "{e}"
    );
    // The node sees the enum as int: SELL written to the int8 field reads -1.
    const NODE: &str = "
def flip(o: Signal[Order]) -> Signal[int]:
    if o.side == Side.BUY:
        o.side = Side.SELL
    else:
        o.side = o.side + 200
    return o.side
";
    let ticks = serde_json::json!([
        [{"side": 1, "flag": true}],
        [{"side": -1, "flag": false}],
        [{"side": 100, "flag": false}]
    ]);
    let (got, _) = run_json(&ctx, NODE, "flip", &ticks);
    assert_eq!(
        got,
        [
            serde_json::json!(-1),
            serde_json::json!(-57),
            serde_json::json!(44)
        ]
    );
    assert!(ctx
        .register_enum(EnumType::new("Wide", &[("X", 256)]).with_width(Storage::UInt8))
        .is_err());
    assert!(ctx
        .register_enum(EnumType::new("Neg", &[("X", -1)]).with_width(Storage::UInt32))
        .is_err());
    ctx.register_enum(
        EnumType::new("Fits", &[("LO", -32768), ("HI", 32767)]).with_width(Storage::Int16),
    )
    .unwrap();
}

#[test]
fn struct_layouts_are_checked_at_registration() {
    use cfuncc::types::{Storage, StructDef, StructField};
    let f = |name: &str, ty, offset| StructField::new(name, ty, offset);
    // Any offset is fine, packed and unaligned included.
    let mut ctx = CompilationContext::with_defaults().unwrap();
    ctx.register_struct(StructDef {
        name: "Packed".into(),
        size: 15,
        fields: vec![
            f("flag", Ty::Bool, 0),
            f("px", Ty::Float, 1),
            f("qty", Ty::Int, 9).stored_as(Storage::Int32),
            f("side", Ty::Int, 13).stored_as(Storage::UInt16),
        ],
    })
    .unwrap();
    for (fields, size, why) in [
        (vec![f("a", Ty::Int, 8)], 12, "outside"),
        (
            vec![f("a", Ty::Int, 4).stored_as(Storage::Int32)],
            7,
            "(int32, 4 bytes at offset 4) lies outside the struct's 7 bytes",
        ),
        (vec![f("a", Ty::Int, usize::MAX)], 16, "outside"),
        (
            vec![f("a", Ty::Int, 0), f("b", Ty::Bool, 7)],
            16,
            "field 'b' (bytes 7..8) overlaps field 'a' (bytes 0..8)",
        ),
        (
            vec![
                f("a", Ty::Int, 0).stored_as(Storage::Int16),
                f("b", Ty::Float, 1).stored_as(Storage::Float32),
            ],
            16,
            "overlaps",
        ),
        (vec![f("a", Ty::Int, 0), f("a", Ty::Int, 8)], 16, "twice"),
        (
            vec![f("a", Ty::Float, 0).stored_as(Storage::Int32)],
            16,
            "field 'a' is a float but stored as int32",
        ),
        (
            vec![f("a", Ty::Int, 0).stored_as(Storage::Float64)],
            16,
            "stored as float64",
        ),
        (
            vec![f("a", Ty::Bool, 0).stored_as(Storage::UInt8)],
            16,
            "stored as uint8",
        ),
    ] {
        let mut ctx = CompilationContext::with_defaults().unwrap();
        let e = ctx
            .register_struct(StructDef {
                name: "S".into(),
                size,
                fields,
            })
            .unwrap_err();
        assert!(e.to_string().contains(why), "{e}");
    }
}

#[test]
fn start_and_stop_bodies_add_code_to_the_phases_and_panics_become_errors() {
    use std::sync::Arc;
    const NODE: &str = "def acc(x: Signal[int]) -> Signal[int]:\n    count: State[int] = 0\n    count += x\n    return count\n";
    let mut ctx = CompilationContext::with_defaults().unwrap();
    // START: count starts at 100, not at its declared 0.
    ctx.register_start_body(Arc::new(|b, abi, sig| {
        let s = sig
            .state
            .iter()
            .find(|s| s.name == "count")
            .ok_or("no state 'count'")?;
        let v = b.const_i64(100);
        b.cfunc_state_store(abi["state"], s.slot, v);
        Ok(())
    }));
    // STOP: count is set to -1, which the next EXECUTE without START sees.
    ctx.register_stop_body(Arc::new(|b, abi, sig| {
        let s = &sig.state[0];
        let v = b.const_i64(-1);
        b.cfunc_state_store(abi["state"], s.slot, v);
        Ok(())
    }));
    let r = compile(&ctx, NODE, "acc").unwrap();
    let mut node = Node::load(&r.so_path, &r.manifest()).unwrap();
    node.start().unwrap();
    let a = node.execute(&[Value::Int(5)], &[], &[]).unwrap();
    node.stop().unwrap();
    let b = node.execute(&[Value::Int(2)], &[], &[]).unwrap();
    // CPython: count = 100; count += 5 → 105; after STOP count = -1; += 2 → 1.
    let expected = cpython(
        "_c = [100]\n",
        "def acc(x, stop=False):\n    _c[0] = -1 if stop else _c[0] + x\n    return _c[0]\n",
        "acc",
        &[vec![5], vec![0, 1], vec![2]],
    );
    assert_eq!(
        vec![a[0].clone(), b[0].clone()],
        vec![expected[0].map(Value::Int), expected[2].map(Value::Int)]
    );

    // A panicking hook is a compile error, not a crash.
    let mut bad = CompilationContext::with_defaults().unwrap();
    bad.register_start_body(Arc::new(|_, _, _| panic!("hook bug")));
    let e = compile(&bad, NODE, "acc").expect_err("a panicking hook fails the compilation");
    assert!(
        e.to_string()
            .contains("START/STOP extension failed: it panicked: hook bug"),
        "{e}"
    );
}

#[test]
fn signal_processors_attach_metadata_per_input() {
    use std::sync::Arc;
    let mut ctx = CompilationContext::with_defaults().unwrap();
    ctx.register_signal_processor(
        "units",
        Arc::new(|i| {
            i.name
                .ends_with("_px")
                .then(|| serde_json::json!(format!("price:{}", i.ty)))
        }),
    );
    const NODE: &str = "def f(bid_px: Signal[float], qty: Signal[int], ask_px: Signal[float]) -> Signal[float]:\n    return (bid_px + ask_px) * qty\n";
    let r = compile(&ctx, NODE, "f").unwrap();
    let want = serde_json::json!({"units": {"bid_px": "price:float", "ask_px": "price:float"}});
    assert_eq!(serde_json::Value::Object(r.metadata.clone()), want);
    // The manifest's metadata holds the processors' entries beside the
    // seed's category fields.
    let mut with_seed = want.clone();
    with_seed.as_object_mut().unwrap().extend(
        serde_json::json!({
            "ordered_input_signals": ["bid_px", "qty", "ask_px"],
            "state_values": [0], "nrt_state_indices": [],
            "struct_state_indices": [], "struct_state_sizes": [],
        })
        .as_object()
        .unwrap()
        .clone(),
    );
    assert_eq!(r.manifest()["metadata"], with_seed);
    // A processor that panics is an error, not a panic of the caller.
    ctx.register_signal_processor(
        "broken",
        Arc::new(|i| (i.name == "qty").then(|| panic!("no units for {}", i.name))),
    );
    let e = compile(&ctx, NODE, "f").expect_err("the processor panics");
    assert!(
        e.to_string().contains(
            "signal processor 'broken' failed on input 'qty': it panicked: no units for qty"
        ),
        "{e}"
    );
}

fn run_float(ctx: &CompilationContext, source: &str, function: &str, xs: &[f64]) -> Vec<f64> {
    let r = compile(ctx, source, function).unwrap_or_else(|e| panic!("{e}"));
    let mut node = Node::load(&r.so_path, &r.manifest()).unwrap();
    node.start().unwrap();
    xs.iter()
        .map(
            |x| match node.execute(&[Value::Float(*x)], &[], &[]).unwrap()[0] {
                Some(Value::Float(v)) => v,
                ref other => panic!("{other:?}"),
            },
        )
        .collect()
}

#[test]
fn pre_and_post_patterns_rewrite_calls_and_their_results() {
    use cfuncc::context::{OpPattern, PatternStage};
    use std::sync::Arc;
    const NODE: &str = "import math\n\ndef f(x: Signal[float]) -> Signal[float]:\n    return abs(x) + math.sqrt(x * x)\n";
    let mut ctx = CompilationContext::with_defaults().unwrap();
    // Pre: abs(x) → x * x, short-circuiting the built-in abs.
    ctx.register_pattern(OpPattern {
        op: "cfunc.call".into(),
        name: Some("abs".into()),
        stage: PatternStage::Pre,
        priority: 0,
        rewrite: Arc::new(|rw| {
            let x = rw.op.operand(0);
            let sq = rw.b.bin("arith.mulf", x, x);
            rw.replace(&[sq]);
            Ok(true)
        }),
    });
    // Post: the math.sqrt the built-in produced → its operand + 1 (two
    // statements inserted before it).
    ctx.register_pattern(OpPattern {
        op: "math.sqrt".into(),
        name: None,
        stage: PatternStage::Post,
        priority: 0,
        rewrite: Arc::new(|rw| {
            let x = rw.op.operand(0);
            let one = rw.b.const_f64(1.0);
            let y = rw.b.bin("arith.addf", x, one);
            rw.replace(&[y]);
            Ok(true)
        }),
    });
    let xs = [3.0, -2.5, 0.5];
    let expected: Vec<f64> = cpython_json(
        "",
        "def f(x):\n    return x * x + (x * x + 1.0)\n",
        "f",
        &serde_json::json!([[3.0], [-2.5], [0.5]]),
    )
    .iter()
    .map(|v| v.as_f64().unwrap())
    .collect();
    assert_eq!(run_float(&ctx, NODE, "f", &xs), expected);
    // The same node in a context without the patterns follows Python.
    let plain = CompilationContext::with_defaults().unwrap();
    let python: Vec<f64> = cpython_json(
        "import math\n",
        "def f(x):\n    return abs(x) + math.sqrt(x * x)\n",
        "f",
        &serde_json::json!([[3.0], [-2.5], [0.5]]),
    )
    .iter()
    .map(|v| v.as_f64().unwrap())
    .collect();
    assert_eq!(run_float(&plain, NODE, "f", &xs), python);

    // A failing or panicking pattern is an error at the call's location.
    for (fails, why) in [
        (true, "abs is not allowed here"),
        (false, "rewrite pattern on cfunc.call: pattern bug"),
    ] {
        let mut bad = CompilationContext::with_defaults().unwrap();
        bad.register_pattern(OpPattern {
            op: "cfunc.call".into(),
            name: Some("abs".into()),
            stage: PatternStage::Pre,
            priority: 0,
            rewrite: Arc::new(move |_| {
                if fails {
                    Err("abs is not allowed here".into())
                } else {
                    panic!("pattern bug")
                }
            }),
        });
        let e = compile(&bad, NODE, "f").expect_err("the pattern's failure fails the compilation");
        let text = e.to_string();
        assert!(
            text.contains("<node>:4:12: error:") && text.contains(why),
            "{text}"
        );
    }
}

/// The rewriter refuses what would leave the IR unsound: erasing an op
/// whose result is still used, replacing an op twice, or with the wrong
/// number of values. Each is an error at the op, not a crash.
#[test]
fn the_rewriter_refuses_unsound_rewrites() {
    use cfuncc::context::{OpPattern, PatternStage};
    use std::sync::Arc;
    const NODE: &str = "def f(x: Signal[float]) -> Signal[float]:\n    return abs(x) + 1.0\n";
    type Rewrite = fn(&cfuncc::dialect::rewrite::Rewrite<'_>);
    let cases: [(Rewrite, &str); 3] = [
        (
            |rw| rw.erase(),
            "cfunc.call is erased but its result is still used",
        ),
        (
            |rw| {
                let x = rw.op.operand(0);
                rw.replace(&[x]);
                rw.replace(&[x]);
            },
            "cfunc.call is already replaced or erased",
        ),
        (
            |rw| rw.replace(&[]),
            "cfunc.call has 1 results, replaced with 0 values",
        ),
    ];
    for (rewrite, why) in cases {
        let mut ctx = CompilationContext::with_defaults().unwrap();
        ctx.register_pattern(OpPattern {
            op: "cfunc.call".into(),
            name: Some("abs".into()),
            stage: PatternStage::Pre,
            priority: 0,
            rewrite: Arc::new(move |rw| {
                rewrite(rw);
                Ok(true)
            }),
        });
        let e = compile(&ctx, NODE, "f").expect_err("the rewrite is refused");
        let text = e.to_string();
        assert!(
            text.contains("<node>:2:12: error:") && text.contains(why),
            "{text}"
        );
    }
}

#[test]
fn a_source_category_adds_its_own_abi_parameter_and_inputs() {
    use cfuncc::context::{AbiType, CategoryInputs, InputHandler, SourceCategory};
    let mut ctx = CompilationContext::with_defaults().unwrap();
    ctx.register_source_category(SourceCategory {
        id: "book".into(),
        order: 10,
        params: vec![("books".into(), AbiType::Ptr)],
        inputs: Some(CategoryInputs {
            values: "books".into(),
            ticked: None,
            valid: None,
        }),
    })
    .unwrap();
    ctx.register_input_handler(InputHandler {
        wrapper: "Book".into(),
        category: "book".into(),
    });
    // Inputs of both categories, interleaved in the signature.
    const NODE: &str = "def f(a: Book[int], x: Signal[int], b: Book[int]) -> Signal[int]:\n    return a * 100 + x * 10 + b if ticked(x) else a - b\n";
    let r = compile(&ctx, NODE, "f").unwrap();
    let m = r.manifest();
    assert_eq!(
        m["abi"],
        serde_json::json!([
            "outputs",
            "output_ticked",
            "state",
            "lifecycle_phase",
            "inputs",
            "input_ticked",
            "input_valid",
            "books"
        ])
    );
    assert_eq!(m["inputs"][0]["category"], "book");
    let mut node = Node::load(&r.so_path, &m).unwrap();
    node.start().unwrap();
    let ticks = [
        (vec![1, 2, 3], true),
        (vec![7, 8, 9], false),
        (vec![-4, 5, 6], true),
    ];
    let got: Vec<Option<Value>> = ticks
        .iter()
        .map(|(v, t)| {
            let inputs: Vec<Value> = v.iter().map(|x| Value::Int(*x)).collect();
            // ticked flags in signature order; only the signal input has one.
            node.execute(&inputs, &[true, *t, true], &[]).unwrap()[0].clone()
        })
        .collect();
    let expected = cpython(
        "",
        "def f(a, x, b, t):\n    return a * 100 + x * 10 + b if t else a - b\n",
        "f",
        &ticks
            .iter()
            .map(|(v, t)| [v.clone(), vec![*t as i64]].concat())
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        got,
        expected
            .into_iter()
            .map(|v| v.map(Value::Int))
            .collect::<Vec<_>>()
    );

    // The category has no flags: ticked(a) is a located error.
    let e = compile(
        &ctx,
        "def g(a: Book[int]) -> Signal[bool]:\n    return ticked(a)\n",
        "g",
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("<node>:2:12: error: ticked(): input 'a' comes from source category 'book', which has no ticked flags"), "{e}");
    // Duplicate parameters and bad input arrays are rejected.
    let clash = ctx.register_source_category(SourceCategory {
        id: "x".into(),
        order: 11,
        params: vec![("books".into(), AbiType::Ptr)],
        inputs: None,
    });
    assert!(clash.unwrap_err().to_string().contains("already taken"));
    let bad = ctx.register_source_category(SourceCategory {
        id: "y".into(),
        order: 12,
        params: vec![("ys".into(), AbiType::I8)],
        inputs: Some(CategoryInputs {
            values: "ys".into(),
            ticked: None,
            valid: None,
        }),
    });
    assert!(bad
        .unwrap_err()
        .to_string()
        .contains("must be pointer parameters"));
}

#[test]
fn method_handlers_resolve_calls_on_values_of_their_type() {
    use cfuncc::context::MethodHandler;
    use std::sync::Arc;
    let mut ctx = CompilationContext::with_defaults().unwrap();
    // x.scaled(k) on floats: x * k, typed float.
    ctx.register_method(MethodHandler {
        receiver: Ty::Float,
        name: "scaled".into(),
        infer: Arc::new(|t| match t {
            [Ty::Float, Ty::Int | Ty::Float] => Ok(Ty::Float),
            _ => Err("takes one number".into()),
        }),
        lower: Arc::new(|b, v, t| {
            let k = if t[1] == Ty::Int {
                b.cast("arith.sitofp", v[1], b.f64())
            } else {
                v[1]
            };
            Ok(b.bin("arith.mulf", v[0], k))
        }),
    });
    const NODE: &str =
        "def f(x: Signal[float]) -> Signal[float]:\n    return x.scaled(3) + (x + 1.0).scaled(x)\n";
    let expected: Vec<f64> = cpython_json(
        "",
        "def f(x):\n    return x * 3 + (x + 1.0) * x\n",
        "f",
        &serde_json::json!([[1.5], [-2.0], [0.1]]),
    )
    .iter()
    .map(|v| v.as_f64().unwrap())
    .collect();
    assert_eq!(run_float(&ctx, NODE, "f", &[1.5, -2.0, 0.1]), expected);
    // Wrong arguments and unknown methods are located errors.
    for (src, why) in [
        (
            "def f(x: Signal[float]) -> Signal[float]:\n    return x.scaled()\n",
            "<node>:2:12: error: float.scaled(): takes one number",
        ),
        (
            "def f(x: Signal[float]) -> Signal[float]:\n    return x.halved()\n",
            "<node>:2:12: error: unknown method 'halved' of a float; float methods are scaled",
        ),
        (
            "def f(x: Signal[int]) -> Signal[float]:\n    return x.scaled(2)\n",
            "int values have no methods",
        ),
    ] {
        let e = compile(&ctx, src, "f").err().unwrap();
        assert!(e.to_string().contains(why), "{e}");
    }
}

#[test]
fn property_handlers_read_attributes_of_values_in_any_position() {
    use cfuncc::context::{MethodHandler, PropertyHandler};
    use cfuncc::dialect::builder::CmpI;
    use std::sync::Arc;
    let mut ctx = CompilationContext::with_defaults().unwrap();
    quote(&mut ctx);
    let quote_ty = ctx.type_for("Quote").unwrap();
    // q.mid on the struct (a computed attribute beside its fields) and
    // n.is_negative on ints.
    ctx.register_property(PropertyHandler {
        receiver: quote_ty,
        name: "mid".into(),
        ty: Ty::Float,
        lower: Arc::new(move |b, q| {
            let def = quote_ty.as_struct().unwrap();
            let bid = b.cfunc_struct_get(q, def.field("bid").unwrap());
            let ask = b.cfunc_struct_get(q, def.field("ask").unwrap());
            let sum = b.bin("arith.addf", bid, ask);
            Ok(b.bin("arith.mulf", sum, b.const_f64(0.5)))
        }),
    });
    // A property named like a field does not hide the field.
    ctx.register_property(PropertyHandler {
        receiver: quote_ty,
        name: "bid".into(),
        ty: Ty::Float,
        lower: Arc::new(|b, _| Ok(b.const_f64(-1.0))),
    });
    ctx.register_property(PropertyHandler {
        receiver: Ty::Int,
        name: "is_negative".into(),
        ty: Ty::Bool,
        lower: Arc::new(|b, v| Ok(b.cmpi(CmpI::Slt, v, b.const_i64(0)))),
    });
    const NODE: &str =
        "def f(q: Signal[Quote], k: Signal[int]) -> Outputs(m=float, neg=bool, c=float, n=int):
    m = q.mid
    neg = (k - 3).is_negative
    c = q.mid * 2 if k.is_negative else q.bid
    n = 0
    while (k + n).is_negative and not neg:
        n += 1
    return m, neg, c, n + int(q.mid > q.bid)
";
    let python = NODE
        .replace("q.mid", "((q.bid + q.ask) * 0.5)")
        .replace("(k - 3).is_negative", "(k - 3 < 0)")
        .replace("(k + n).is_negative", "(k + n < 0)")
        .replace("k.is_negative", "(k < 0)");
    let q =
        |bid: f64, ask: f64| serde_json::json!({"bid": bid, "ask": ask, "size": 1, "live": true});
    let ticks = serde_json::json!([
        [q(1.0, 2.0), 3],
        [q(1.5, 1.75), -2],
        [q(0.25, 3.0), 1],
        [q(-1.0, 1.0), -5],
    ]);
    let (got, _) = run_json(&ctx, NODE, "f", &ticks);
    assert_eq!(got, cpython_json("", &python, "f", &ticks));

    const NEG: &str = "def f(k: Signal[int]) -> Signal[bool]:\n    return k.is_negative\n";
    // Another context does not see the registration.
    let other = CompilationContext::with_defaults().unwrap();
    let e = compile(&other, NEG, "f").expect_err("another context has no int.is_negative");
    assert!(
        e.to_string()
            .contains("unknown attribute '.is_negative' of an int; int values have no attributes"),
        "{e}"
    );
    assert!(compile(&ctx, NEG, "f").is_ok());
    // A method of the same name replaces the property, and the messages
    // say which is which.
    let mut ctx2 = ctx.try_clone().unwrap();
    ctx2.register_method(MethodHandler {
        receiver: Ty::Int,
        name: "is_negative".into(),
        infer: Arc::new(|_| Ok(Ty::Bool)),
        lower: Arc::new(|b, v, _| Ok(b.cmpi(CmpI::Slt, v[0], b.const_i64(0)))),
    });
    let e = compile(&ctx2, NEG, "f").expect_err("now a method");
    assert!(
        e.to_string()
            .contains("'is_negative' is a method: call it as '.is_negative()'"),
        "{e}"
    );
    let e = compile(
        &ctx,
        "def f(k: Signal[int]) -> Signal[bool]:\n    return k.is_negative()\n",
        "f",
    )
    .expect_err("a property is not called");
    assert!(
        e.to_string().contains("'is_negative' is an attribute"),
        "{e}"
    );
}

/// Price: fixed point, 1/10000 units, carried as an int; literals and
/// assigned ints and floats are scaled (floats rounded half to even, as
/// Python's round()).
fn price(ctx: &mut CompilationContext) -> Ty {
    use cfuncc::context::{BinopRule, TypeHandler};
    use cfuncc::types::ScalarType;
    use ruff_python_ast::Operator;
    use std::sync::Arc;
    let price = ScalarType::define("Price", Ty::Int).unwrap();
    ctx.register_type(
        TypeHandler::new("Price", price, 200)
            .parse_const(Arc::new(|v| match v {
                ConstValue::Int(i) => Ok(ConstValue::Int(i * 10_000)),
                ConstValue::Float(f) => {
                    Ok(ConstValue::Int((f * 10_000.0).round_ties_even() as i64))
                }
                ConstValue::Bool(_) => panic!("a bool price"),
                other => Err(format!("a Price literal is a number, not {other:?}")),
            }))
            .lower_assign(Arc::new(|b, v, from| match from {
                Ty::Int => Ok(b.bin("arith.muli", v, b.const_i64(10_000))),
                Ty::Float => {
                    let scaled = b.bin("arith.mulf", v, b.const_f64(10_000.0));
                    let r = b.un("math.roundeven", scaled);
                    Ok(b.cast("arith.fptosi", r, b.i64()))
                }
                other => Err(format!("only ints and floats convert, not {other}")),
            })),
    );
    // -p, as Python calls p.__neg__(); +p has no __pos__.
    ctx.register_method(cfuncc::context::MethodHandler {
        receiver: price,
        name: "__neg__".into(),
        infer: Arc::new(move |_| Ok(price)),
        lower: Arc::new(|b, v, _| Ok(b.bin("arith.subi", b.const_i64(0), v[0]))),
    });
    for (lhs, op, rhs, result) in [
        (price, Operator::Add, price, price),
        (price, Operator::Sub, price, price),
        (price, Operator::Mult, Ty::Int, price),
        (price, Operator::Div, price, Ty::Float),
    ] {
        ctx.register_binop(BinopRule {
            lhs,
            op,
            rhs,
            result,
        });
    }
    price
}

#[test]
fn scalar_types_parse_their_constants_and_state_and_convert_assignments() {
    use cfuncc::context::TypeHandler;
    use cfuncc::types::ScalarType;
    let mut ctx = CompilationContext::with_defaults().unwrap();
    price(&mut ctx);
    const NODE: &str = "def f(x: Signal[float], n: Signal[int], tick: Price = 0.25) -> Outputs(hi=Price, total=Price, ratio=float, up=bool):
    best: State[Price] = 1.5
    total: State[Price] = 0
    p: Price = x
    total = total + p * n
    if p > best:
        best = p
    q: Price = n
    up = p - tick >= best - tick * 2 and q > tick
    return max(p, best), total, (p + tick) / best, up
";
    // The same computation in CPython, on the fixed-point ints.
    const REFERENCE: &str = "S = {'best': 15000, 'total': 0}
def f(x, n, tick=2500):
    p = round(x * 10000)
    S['total'] = S['total'] + p * n
    if p > S['best']:
        S['best'] = p
    q = n * 10000
    up = p - tick >= S['best'] - tick * 2 and q > tick
    return max(p, S['best']), S['total'], (p + tick) / S['best'], up
";
    let ticks = serde_json::json!([[1.25, 2], [2.00005, -1], [0.3, 0], [1.99995, 3], [-4.5, 1]]);
    let (got, manifest) = run_json(&ctx, NODE, "f", &ticks);
    assert_eq!(got, cpython_json("", REFERENCE, "f", &ticks));
    assert_eq!(
        manifest["scalar_types"],
        serde_json::json!({"Price": "int"})
    );
    assert_eq!(manifest["outputs"][0]["type"], "Price");
    assert_eq!(manifest["state"][0]["initial"], 15000);

    let head = "def f(x: Signal[float], b: Signal[bool]) -> Signal[Price]:\n";
    for (body, why) in [
        ("    p: Price = x\n    return p + 1.0\n",
         "<node>:3:12: error: unsupported operand types for +: Price and float; supported: Price + Price, Price - Price, Price * int, Price / Price"),
        ("    p: Price = b\n    return p\n",
         "<node>:2:16: error: cannot make a Price of a bool value: only ints and floats convert, not bool"),
        ("    s: State[Price] = True\n    return s\n",
         "<node>:2:23: error: state 's': it panicked: a bool price"),
        ("    p: Price = x\n    return -p if p > p - p else p\n", ""),
        ("    p: Price = x\n    return +p\n", "<node>:3:12: error: bad operand type for unary +: Price"),
        // Without __bool__, a Price is true, as a Python object is.
        ("    p: Price = x\n    return p if p or not p else p\n", ""),
        // The other branch converts as an assignment does (lower_assign).
        ("    p: Price = x\n    return p if p > p - p else 0\n", ""),
        ("    p: Price = x\n    return p if p < 0.5 else p\n",
         "error: cannot compare a Price with a float; compare a Price with another Price"),
        ("    p: Price = x\n    return p if float(p) < 0.5 else p\n",
         "error: float(): takes numbers, not a Price; Price has no methods or attributes; Price / Price is a float"),
    ] {
        let r = compile(&ctx, &format!("{head}{body}"), "f");
        match (r, why) {
            (Ok(_), "") => {}
            (Err(e), why) if !why.is_empty() => assert!(e.to_string().contains(why), "{e}"),
            (r, _) => panic!("{body}: {:?}", r.err()),
        }
    }
    // A type without hooks takes only its own values; another context does
    // not know Price.
    let mut bare = CompilationContext::with_defaults().unwrap();
    let qty = ScalarType::define("Qty", Ty::Float).unwrap();
    bare.register_type(TypeHandler::new("Qty", qty, 200));
    let e = compile(
        &bare,
        "def f(x: Signal[float]) -> Signal[Qty]:\n    q: Qty = x\n    return q\n",
        "f",
    )
    .expect_err("no lower_assign");
    assert!(
        e.to_string().contains("Qty mixes only with its own type"),
        "{e}"
    );
    let e = compile(&bare, &format!("{head}    return x\n"), "f").expect_err("Price is elsewhere");
    assert!(e.to_string().contains("unsupported type 'Price'"), "{e}");
}

#[test]
fn const_calls_fold_wherever_a_literal_is_accepted() {
    use cfuncc::context::{ConstArg, ConstCallHandler};
    use std::sync::Arc;
    let mut ctx = CompilationContext::with_defaults().unwrap();
    // ticks(n[, size=0.25]): n price ticks, a float.
    ctx.register_const_call(ConstCallHandler {
        name: "ticks".into(),
        fold: Arc::new(|args, kwargs| {
            let size = match kwargs {
                [] => 0.25,
                [(k, ConstArg::Value(ConstValue::Float(s)))] if k == "size" => *s,
                _ => return Err("ticks() takes size=FLOAT only".into()),
            };
            match args {
                [ConstArg::Value(ConstValue::Int(n))] => Ok(ConstValue::Float(*n as f64 * size)),
                [ConstArg::Value(ConstValue::Int(-1)), ConstArg::Other] => panic!("no"),
                [ConstArg::Name(n)] => Err(format!("ticks() needs a constant, '{n}' is not one")),
                _ => Err("ticks() takes one int constant".into()),
            }
        }),
    });
    const NODE: &str = "import market
STEP = market.ticks(2)

def f(x: Signal[float], lim: float = ticks(4, size=0.5)) -> Signal[float]:
    hi: State[float] = ticks(-3)
    hi = max(hi, x) + STEP
    return hi if hi < lim else lim + ticks(1)
";
    let reference = "STEP = 2 * 0.25
S = {'hi': -3 * 0.25}
def f(x, lim=4 * 0.5):
    S['hi'] = max(S['hi'], x) + STEP
    hi = S['hi']
    return hi if hi < lim else lim + 1 * 0.25
";
    let ticks = serde_json::json!([[0.1], [-2.0], [1.0], [0.4]]);
    let (got, _) = run_json(&ctx, NODE, "f", &ticks);
    assert_eq!(got, cpython_json("", reference, "f", &ticks));
    for (body, why) in [
        (
            "    return x + ticks(n)\n",
            "<node>:3:16: error: ticks() needs a constant, 'n' is not one",
        ),
        (
            "    return x + ticks(-1, x + 1)\n",
            "<node>:3:16: error: it panicked: no",
        ),
        (
            "    s: State[float] = ticks(1, size=2)\n    return s\n",
            "<node>:3:23: error: ticks() takes size=FLOAT only",
        ),
    ] {
        let src =
            format!("def f(x: Signal[float], n: Signal[int]) -> Signal[float]:\n    y = 1\n{body}");
        let e = compile(&ctx, &src, "f").expect_err(body);
        assert!(e.to_string().contains(why), "{e}");
    }
    // Another context does not fold ticks().
    let other = CompilationContext::with_defaults().unwrap();
    let e = compile(
        &other,
        "def f(x: Signal[float]) -> Signal[float]:\n    return x + ticks(1)\n",
        "f",
    )
    .expect_err("unknown elsewhere");
    assert!(e.to_string().contains("ticks"), "{e}");
}

#[test]
fn container_handlers_name_list_and_dict_annotations_and_constructors() {
    use cfuncc::context::{ContainerHandler, ContainerKind};
    let base = CompilationContext::with_defaults().unwrap();
    let mut ctx = base.try_clone().unwrap();
    for (name, kind, ctor) in [
        ("Series", ContainerKind::List, "new_series"),
        ("Table", ContainerKind::Dict, "new_table"),
    ] {
        ctx.register_container(ContainerHandler {
            name: name.into(),
            kind,
            bare: true,
            constructor: Some(ctor.into()),
        });
    }
    const NODE: &str = "def f(x: Signal[int], w: Series[int] = [1, 2, 3]) -> Signal[int]:
    xs: State[Series] = new_series(int)
    seen: State[Table[int, int]] = new_table(int, int)
    xs.append(x * w[len(xs) % 3])
    seen[x] = seen.get(x, 0) + 1
    ys = new_series(int)
    for v in xs:
        if seen.get(v, 0) > 0:
            ys.append(v)
    return sum(ys) * 100 + len(seen) * 10 + len(ys)
";
    let reference = "XS = []
SEEN = {}
def f(x, w=[1, 2, 3]):
    xs, seen = XS, SEEN
    xs.append(x * w[len(xs) % 3])
    seen[x] = seen.get(x, 0) + 1
    ys = []
    for v in xs:
        if seen.get(v, 0) > 0:
            ys.append(v)
    return sum(ys) * 100 + len(seen) * 10 + len(ys)
";
    let ticks = serde_json::json!([[1], [2], [1], [3], [2], [6], [4], [1]]);
    let (got, _) = run_json(&ctx, NODE, "f", &ticks);
    assert_eq!(got, cpython_json("", reference, "f", &ticks));

    // The kind is checked, and messages use the registered spellings.
    for (body, why) in [
        (
            "    xs: State[Series] = new_table(int, int)\n    return len(xs)\n",
            "<node>:2:25: error: state 'xs' is declared Series but created as dict[int, int]",
        ),
        (
            "    xs: State[Table[int, int]] = 0\n    return len(xs)\n",
            "<node>:2:34: error: container state 'xs' starts empty: `xs: State[Table[int, int]] = new_table(int, float)`",
        ),
        (
            "    xs = new_series(int, int)\n    return len(xs)\n",
            "<node>:2:10: error: new_series takes the element type: new_series(int)",
        ),
    ] {
        let src = format!("def f(x: Signal[int]) -> Signal[int]:\n{body}");
        let e = compile(&ctx, &src, "f").expect_err(body);
        assert!(e.to_string().contains(why), "{e}");
    }
    // The base context does not know the new names...
    let e = compile(&base, NODE, "f").expect_err("Series is not registered there");
    assert!(e.to_string().contains("Series"), "{e}");
    // ...and a context without the container registrations knows none.
    let mut bare = CompilationContext::new().unwrap();
    cfuncc::extensions::primitives::register(&mut bare);
    cfuncc::extensions::signals::register(&mut bare).unwrap();
    for (src, why) in [
        (
            "def f(x: Signal[int], w: NumbaList[int] = [1]) -> Signal[int]:\n    return x\n",
            "<node>:1:26: error: unsupported type 'NumbaList[int]' for parameter 'w'",
        ),
        (
            "def f(x: Signal[int]) -> Signal[int]:\n    xs = create_new_list(int)\n    return x\n",
            "<node>:2:10: error: unknown function 'create_new_list'; none are registered",
        ),
    ] {
        let e = compile(&bare, src, "f").expect_err(src);
        assert!(e.to_string().contains(why), "{e}");
    }
}

#[test]
fn call_handlers_of_a_module_are_found_through_from_imports() {
    use cfuncc::context::{AttributeHandler, CallHandler};
    use std::sync::Arc;
    let mut ctx = CompilationContext::with_defaults().unwrap();
    // stats.clip(x, lo, hi) and stats.LIMIT, a module of the extension's own.
    ctx.register_call(CallHandler {
        name: "stats.clip".into(),
        priority: 100,
        infer: Arc::new(|t| match t {
            [Ty::Int, Ty::Int, Ty::Int] => Ok(Ty::Int),
            _ => Err("takes three ints".into()),
        }),
        lower: Arc::new(|b, v, _| {
            let lo = b.bin("arith.maxsi", v[0], v[1]);
            Ok(b.bin("arith.minsi", lo, v[2]))
        }),
    });
    ctx.register_attribute(AttributeHandler {
        name: "stats.LIMIT".into(),
        ty: Ty::Int,
        lower: Arc::new(|b| b.const_i64(7)),
    });
    const NODE: &str = "from stats import clip as c, LIMIT
import stats

def f(x: Signal[int]) -> Signal[int]:
    return c(x, -LIMIT, LIMIT) * 10 + stats.clip(x, 0, 3)
";
    let prelude = "import types
stats = types.SimpleNamespace(clip=lambda x, lo, hi: min(max(x, lo), hi), LIMIT=7)
c, LIMIT = stats.clip, stats.LIMIT";
    let ticks: Vec<Vec<i64>> = [-20, -7, -1, 0, 2, 5, 8, 100]
        .iter()
        .map(|x| vec![*x])
        .collect();
    let body = NODE.split_once("\n\n").unwrap().1;
    assert_eq!(
        run(&ctx, NODE, "f", &ticks),
        cpython(prelude, body, "f", &ticks)
    );
    // A name the module does not have is reported under its module.
    let e = compile(&ctx, "from stats import clamp\n\ndef f(x: Signal[int]) -> Signal[int]:\n    return clamp(x, 0, 1)\n", "f")
    .expect_err("no stats.clamp");
    assert!(
        e.to_string()
            .contains("unknown function 'stats.clamp'; supported functions are: stats.clip"),
        "{e}"
    );
}

#[test]
fn special_methods_give_scalar_types_unary_operators_conversions_and_truth() {
    use cfuncc::context::{MethodHandler, TypeHandler};
    use cfuncc::dialect::builder::CmpI;
    use cfuncc::types::ScalarType;
    use std::sync::Arc;
    let mut ctx = CompilationContext::with_defaults().unwrap();
    let ticks_ty = ScalarType::define("Ticks", Ty::Int).unwrap();
    ctx.register_type(
        TypeHandler::new("Ticks", ticks_ty, 200).lower_assign(Arc::new(|_, v, from| match from {
            Ty::Int => Ok(v),
            other => Err(format!("only ints, not {other}")),
        })),
    );
    type Lower = for<'c> fn(
        &cfuncc::dialect::builder::Builder<'c>,
        cfuncc::dialect::ir::Value<'c>,
    ) -> cfuncc::dialect::ir::Value<'c>;
    let methods: [(&str, Ty, Lower); 4] = [
        ("__float__", Ty::Float, |b, v| {
            let f = b.cast("arith.sitofp", v, b.f64());
            b.bin("arith.mulf", f, b.const_f64(0.25))
        }),
        ("__int__", Ty::Int, |b, v| {
            b.bin("arith.floordivsi", v, b.const_i64(4))
        }),
        ("__invert__", ticks_ty, |b, v| {
            b.bin("arith.xori", v, b.const_i64(-1))
        }),
        ("__bool__", Ty::Bool, |b, v| {
            let odd = b.bin("arith.andi", v, b.const_i64(1));
            b.cmpi(CmpI::Ne, odd, b.const_i64(0))
        }),
    ];
    for (name, result, f) in methods {
        ctx.register_method(MethodHandler {
            receiver: ticks_ty,
            name: name.into(),
            infer: Arc::new(move |_| Ok(result)),
            lower: Arc::new(move |b, v, _| Ok(f(b, v[0]))),
        });
    }
    const NODE: &str = "def f(n: Signal[int]) -> Outputs(a=float, b=int, c=int, d=bool, e=bool):
    t: Ticks = n
    u: Ticks = ~t
    c = 0
    while u and c < 3:
        c += 1
    return float(t) + float(u), int(u), c, not u, bool(t) or int(t) > 2
";
    const REFERENCE: &str = "class Ticks:
    def __init__(self, n): self.n = n
    def __float__(self): return self.n * 0.25
    def __int__(self): return self.n // 4
    def __invert__(self): return Ticks(~self.n)
    def __bool__(self): return self.n % 2 == 1

def f(n):
    t = Ticks(n)
    u = ~t
    c = 0
    while u and c < 3:
        c += 1
    return float(t) + float(u), int(u), c, not u, bool(t) or int(t) > 2
";
    let ticks = serde_json::json!([[0], [1], [-1], [-6], [7], [12], [-13]]);
    let (got, _) = run_json(&ctx, NODE, "f", &ticks);
    assert_eq!(got, cpython_json("", REFERENCE, "f", &ticks));
    // The protocol's result types are checked.
    ctx.register_method(MethodHandler {
        receiver: ticks_ty,
        name: "__bool__".into(),
        infer: Arc::new(|_| Ok(Ty::Int)),
        lower: Arc::new(|_, v, _| Ok(v[0])),
    });
    let e = compile(
        &ctx,
        "def f(n: Signal[int]) -> Signal[int]:\n    t: Ticks = n\n    return 1 if t else 0\n",
        "f",
    )
    .expect_err("__bool__ gives an int");
    assert!(
        e.to_string()
            .contains("<node>:3:17: error: Ticks.__bool__() is registered as returning an int but must return a bool"),
        "{e}"
    );
}

#[test]
fn types_file_declares_scalar_types_with_conversions_arithmetic_and_unary_operations() {
    let dir = fresh_dir();
    let types = dir.join("types.json");
    std::fs::write(
        &types,
        r#"{"scalar_types": {
            "OrderId": "int",
            "Qty": {"repr": "float", "from": ["int", "float"],
                    "arithmetic": ["Qty + Qty -> Qty", "Qty * float -> Qty", "Qty / Qty -> float"],
                    "unary": ["-", "abs", "bool"]}}}"#,
    )
    .unwrap();
    let mut ctx = CompilationContext::with_defaults().unwrap();
    ctx.load_types_file(&types).unwrap();
    const NODE: &str = "def f(q: Signal[Qty], n: Signal[int], oid: Signal[OrderId], last: Signal[OrderId]) -> Outputs(total=Qty, avg=float, neg=Qty, live=bool, newest=OrderId, same=bool):
    total: State[Qty] = 0
    total = total + q * 0.5 + abs(-q)
    k: Qty = n
    avg = total / (k + q) if k + q else 0.0
    return total, avg, -total, bool(q) and bool(oid), max(oid, last), oid == last
";
    // OrderId has no __bool__: true even when 0, as a Python object.
    const REFERENCE: &str = "class OrderId(int):
    def __bool__(self): return True
S = {'total': 0.0}
def f(q, n, oid, last):
    oid, last = OrderId(oid), OrderId(last)
    S['total'] = S['total'] + q * 0.5 + abs(-q)
    total = S['total']
    k = float(n)
    avg = total / (k + q) if k + q else 0.0
    return total, avg, -total, bool(q) and bool(oid), max(oid, last), oid == last
";
    let ticks = serde_json::json!([
        [1.5, 2, 10, 7],
        [0.0, -3, 0, 0],
        [-2.25, 0, 3, 9],
        [0.0, 0, 5, 5],
        [4.0, -4, 0, 1]
    ]);
    let (got, manifest) = run_json(&ctx, NODE, "f", &ticks);
    assert_eq!(got, cpython_json("", REFERENCE, "f", &ticks));
    assert_eq!(
        manifest["scalar_types"],
        serde_json::json!({"OrderId": "int", "Qty": "float"})
    );
    for (src, why) in [
        (
            "def f(b: Signal[bool]) -> Signal[Qty]:\n    k: Qty = b\n    return k\n",
            "<node>:2:14: error: cannot make a Qty of a bool value: it takes an int or a float",
        ),
        (
            "def f(o: Signal[OrderId]) -> Signal[int]:\n    return o + 1\n",
            "<node>:2:12: error: unsupported operand types for +: OrderId and int",
        ),
        (
            "def f(o: Signal[OrderId]) -> Signal[OrderId]:\n    return -o\n",
            "<node>:2:12: error: bad operand type for unary -: OrderId",
        ),
    ] {
        let e = compile(&ctx, src, "f").expect_err(src);
        assert!(e.to_string().contains(why), "{e}");
    }
    for (text, why) in [
        (
            r#"{"scalar_types": {"Q": "str"}}"#,
            "repr must be int, float or bool, not 'str'",
        ),
        (
            r#"{"scalar_types": {"int": "int"}}"#,
            "the name is already a type",
        ),
        (
            r#"{"scalar_types": {"Q": {"repr": "int", "from": ["float"]}}}"#,
            "a float does not fit its repr int",
        ),
        (
            r#"{"scalar_types": {"Q": {"repr": "int", "arithmetic": ["Q ++ Q -> Q"]}}}"#,
            "has an unknown operator '++'",
        ),
        (
            r#"{"scalar_types": {"Q": {"repr": "int", "arithmetic": ["int + int -> Q"]}}}"#,
            "must have a Q operand",
        ),
        (
            r#"{"scalar_types": {"Q": {"repr": "int", "arithmetic": ["Q + Q"]}}}"#,
            "not of the form 'A + B -> C'",
        ),
        (
            r#"{"scalar_types": {"Q": {"repr": "float", "unary": ["~"]}}}"#,
            "'~' needs an int repr",
        ),
        (
            r#"{"scalar_types": {"Q": {"repr": "int", "unary": ["not"]}}}"#,
            "unknown operation 'not'",
        ),
        (
            r#"{"scalar_types": {"Q": {"repr": "int", "units": "m"}}}"#,
            "scalar type 'Q': unknown field `units`",
        ),
        (
            r#"{"scalar_types": {"Q": {"from": ["int"]}}}"#,
            "scalar type 'Q': missing field `repr`",
        ),
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
