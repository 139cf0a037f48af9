//! FFI: nodes calling C functions (`tests/ffi/nodes.py`, bodies in
//! `tests/ffi/book.c`).
//!
//! The C file is built at test time three ways: to LLVM bitcode with
//! `clang-22 -c -emit-llvm -O2` (linked with `--link-bitcode`), to a shared
//! library (`cfuncc run --preload`), and into the C host of `tests/c_host`
//! (linked `-rdynamic`, so the host process provides the symbols). Expected
//! values come from Rust reimplementations of book.c's functions, and the
//! three ways of providing them must agree tick by tick.

mod common;

use cfuncc::runner::{Node, Value};
use cfuncc::{CompilationContext, CompilationOptions, Constants, ExternFunction, Ty};
use serde_json::{json, Value as Json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

const CLANG: &str = "/usr/lib/llvm-22/bin/clang";

fn ffi_dir() -> PathBuf {
    common::root().join("tests/ffi")
}

fn nodes_py() -> PathBuf {
    ffi_dir().join("nodes.py")
}

/// A scratch directory for this test process (kept: its libraries stay
/// loaded until the process exits).
fn work() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| common::temp_dir("ffi").keep())
}

/// A fresh subdirectory of `work()` (tests run in parallel).
fn fresh(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = work().join(format!("{name}_{n}"));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn check(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what} failed ({}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Compiles C `src` to LLVM bitcode with clang-22 at -O2.
fn bitcode_of(src: &Path, out: &Path) {
    let o = Command::new(CLANG)
        .args(["-c", "-emit-llvm", "-O2", "-o"])
        .arg(out)
        .arg(src)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {CLANG} (scripts/install-deps installs clang-22): {e}")
        });
    check(&o, "clang -emit-llvm");
}

/// book.c as bitcode.
fn book_bc() -> &'static Path {
    static BC: OnceLock<PathBuf> = OnceLock::new();
    BC.get_or_init(|| {
        let out = work().join("book.bc");
        bitcode_of(&ffi_dir().join("book.c"), &out);
        out
    })
}

/// book.c as a shared library (every process that loads it has its own
/// call counter, starting at zero).
fn book_so() -> &'static Path {
    static SO: OnceLock<PathBuf> = OnceLock::new();
    SO.get_or_init(|| {
        let out = work().join("libbook.so");
        let o = Command::new("cc")
            .args(["-O2", "-shared", "-fPIC", "-o"])
            .arg(&out)
            .arg(ffi_dir().join("book.c"))
            .output()
            .expect("cannot run cc");
        check(&o, "cc -shared book.c");
        out
    })
}

/// The C host with book.c linked in and exported (-rdynamic).
fn host_with_book() -> &'static Path {
    static HOST: OnceLock<PathBuf> = OnceLock::new();
    HOST.get_or_init(|| {
        let out = work().join("host_with_book");
        let o = Command::new("cc")
            .args(["-O2", "-Wall", "-Werror", "-rdynamic", "-o"])
            .arg(&out)
            .arg(common::root().join("tests/c_host/host.c"))
            .arg(ffi_dir().join("book.c"))
            .arg("-ldl")
            .output()
            .expect("cannot run cc");
        check(&o, "cc host.c book.c");
        out
    })
}

fn cfuncc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cfuncc"))
}

/// `cfuncc compile nodes.py --function f ARGS...`.
fn compile_cmd(source: &Path, function: &str, args: &[&str], out: &Path) -> Output {
    cfuncc()
        .arg("compile")
        .arg(source)
        .args(["--function", function])
        .args(args)
        .arg("-o")
        .arg(out)
        .output()
        .expect("cannot run cfuncc")
}

/// Compiles `function` of nodes.py into a fresh directory; returns the .so.
fn compile(function: &str, args: &[&str]) -> PathBuf {
    let so = fresh(function).join(format!("{function}.so"));
    let o = compile_cmd(&nodes_py(), function, args, &so);
    check(&o, &format!("cfuncc compile {function} {args:?}"));
    so
}

/// `cfuncc compile --emit STAGE` of nodes.py's `function`.
fn emit(function: &str, stage: &str, args: &[&str]) -> String {
    let o = cfuncc()
        .arg("compile")
        .arg(nodes_py())
        .args(["--function", function, "--emit", stage])
        .args(args)
        .output()
        .expect("cannot run cfuncc");
    check(&o, &format!("cfuncc compile {function} --emit {stage}"));
    String::from_utf8(o.stdout).unwrap()
}

fn manifest(so: &Path) -> Json {
    serde_json::from_slice(&std::fs::read(so.with_extension("json")).unwrap()).unwrap()
}

/// `cfuncc run SO ARGS...` with `ticks` on stdin.
fn run_raw(so: &Path, args: &[&str], ticks: &str) -> Output {
    let mut child = cfuncc()
        .arg("run")
        .arg(so)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run cfuncc run");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ticks.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The outputs `cfuncc run` prints, one JSON value per tick.
fn run(so: &Path, args: &[&str], ticks: &[Json]) -> Vec<Json> {
    let lines: String = ticks.iter().map(|t| format!("{t}\n")).collect();
    let o = run_raw(so, args, &lines);
    check(&o, "cfuncc run");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

// Rust reimplementations of book.c.
fn book_mid(bid: i64, ask: i64) -> f64 {
    (bid as f64 + ask as f64) * 0.5
}
fn crossed(strict: bool, bid: i64, ask: i64) -> bool {
    if strict {
        bid >= ask
    } else {
        bid > ask
    }
}

const QUOTES: [(i64, i64, bool); 6] = [
    (100, 102, false),
    (101, 101, true),
    (101, 101, false),
    (105, 103, false),
    (-7, 9_007_199_254_740_993, true),
    (i64::MAX, i64::MAX, false),
];

fn quote_ticks() -> Vec<Json> {
    QUOTES
        .iter()
        .map(|(b, a, s)| json!({"inputs": [b, a, s]}))
        .collect()
}

fn quote_expected() -> Vec<Json> {
    QUOTES
        .iter()
        .map(|&(b, a, s)| {
            let m = book_mid(b, a);
            json!({"outputs": {"mid": m, "crossed": crossed(s, b, a), "noted": m * 2.0}})
        })
        .collect()
}

fn assert_same(got: &[Json], want: &[Json], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: {got:?}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            common::same(g, w),
            "{what}, tick {i}: got {g}, expected {w}"
        );
    }
}

/// The attribute group of `symbol`'s `declare` line in LLVM IR.
fn declaration_attributes(ir: &str, symbol: &str) -> String {
    let decl = ir
        .lines()
        .find(|l| l.starts_with("declare") && l.contains(&format!("@{symbol}(")))
        .unwrap_or_else(|| panic!("no declaration of {symbol} in\n{ir}"));
    let group = decl
        .rsplit_once('#')
        .map(|(_, g)| g.trim().to_string())
        .unwrap_or_else(|| panic!("{symbol} has no attributes: {decl}"));
    ir.lines()
        .find_map(|l| l.strip_prefix(&format!("attributes #{group} = ")))
        .unwrap_or_else(|| panic!("no attribute group #{group}"))
        .to_string()
}

fn count_calls(ir: &str, symbol: &str) -> usize {
    ir.lines()
        .filter(|l| l.contains(" call ") && l.contains(&format!("@{symbol}(")))
        .count()
}

/// The undefined (or defined) dynamic symbols of a .so.
fn dynamic_symbols(so: &Path, which: &str) -> Vec<String> {
    let o = Command::new("nm")
        .args(["-D", which])
        .arg(so)
        .output()
        .expect("cannot run nm");
    check(&o, "nm");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|s| s.split('@').next().unwrap().to_string())
        .collect()
}

#[test]
fn pure_extern_calls_merge_and_impure_ones_do_not() {
    let pure = emit("twice", "llvm-ir", &[]);
    let impure = emit("twice_impure", "llvm-ir", &[]);
    assert_eq!(count_calls(&pure, "book_mid"), 1, "{pure}");
    assert_eq!(count_calls(&impure, "book_mid_impure"), 2, "{impure}");
    let pure_attrs = declaration_attributes(&pure, "book_mid");
    assert!(pure_attrs.contains("nounwind"), "{pure_attrs}");
    assert!(pure_attrs.contains("memory(read)"), "{pure_attrs}");
    let impure_attrs = declaration_attributes(&impure, "book_mid_impure");
    assert!(impure_attrs.contains("nounwind"), "{impure_attrs}");
    assert!(!impure_attrs.contains("memory("), "{impure_attrs}");
    // C's bool crosses as `i1 zeroext`, as clang declares it.
    let q = emit("quote", "llvm-ir", &[]);
    assert!(
        q.contains("declare zeroext i1 @crossed(i1 zeroext, i64, i64)"),
        "{q}"
    );
}

/// Counted at run time by book.c: a pure call in a loop runs once per tick
/// (hoisted), an impure one once per iteration.
#[test]
fn pure_extern_calls_are_hoisted_out_of_loops() {
    let preload = ["--preload", book_so().to_str().unwrap()];
    let ns = [10i64, 10, 0, 3, 1];
    let ticks: Vec<Json> = ns.iter().map(|n| json!({"inputs": [1, 2, n]})).collect();
    let total = |n: i64| n as f64 * book_mid(1, 2);
    let (mut pure_calls, mut impure_calls) = (0, 0);
    let (mut want_pure, mut want_impure) = (Vec::new(), Vec::new());
    for &n in &ns {
        pure_calls += i64::from(n > 0);
        impure_calls += n;
        want_pure.push(json!({"outputs": {"total": total(n), "calls": pure_calls}}));
        want_impure.push(json!({"outputs": {"total": total(n), "calls": impure_calls}}));
    }
    let got = run(&compile("pure_loop", &[]), &preload, &ticks);
    assert_same(&got, &want_pure, "pure_loop");
    let got = run(&compile("impure_loop", &[]), &preload, &ticks);
    assert_same(&got, &want_impure, "impure_loop");
}

#[test]
fn linked_bitcode_is_inlined_and_needs_nothing_from_the_host() {
    let bc = book_bc().to_str().unwrap();
    let ir = emit("quote", "llvm-ir", &["--link-bitcode", bc]);
    for sym in ["book_mid", "crossed", "note", "last_note"] {
        assert_eq!(count_calls(&ir, sym), 0, "{sym} still called:\n{ir}");
        assert!(!ir.contains(&format!("@{sym}(")), "{sym} left in:\n{ir}");
    }
    let so = compile("quote", &["--link-bitcode", bc]);
    assert_eq!(manifest(&so)["externs"], json!([]));
    let undefined = dynamic_symbols(&so, "--undefined-only");
    for sym in ["book_mid", "crossed", "note", "last_note"] {
        assert!(!undefined.contains(&sym.to_string()), "{undefined:?}");
    }
    // Runs in `cfuncc run`, which defines none of them.
    let got = run(&so, &[], &quote_ticks());
    assert_same(&got, &quote_expected(), "quote with --link-bitcode");
    // And in the JIT, linked the same way.
    let jit = ["--jit", "--function", "quote", "--link-bitcode", bc];
    let got_jit = run(&nodes_py(), &jit, &quote_ticks());
    assert_eq!(got_jit, got, "quote with --link-bitcode, JIT");
}

#[test]
fn without_bitcode_the_host_provides_the_symbols() {
    let so = compile("quote", &[]);
    let m = manifest(&so);
    let externs: Vec<&str> = m["externs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["symbol"].as_str().unwrap())
        .collect();
    // In the order of the first calls.
    assert_eq!(externs, ["book_mid", "note", "crossed", "last_note"]);
    assert_eq!(m["externs"][2]["c"], "bool crossed(bool, int64_t, int64_t)");
    let undefined = dynamic_symbols(&so, "--undefined-only");
    for sym in externs {
        assert!(undefined.contains(&sym.to_string()), "{undefined:?}");
    }

    // The runner, with book.c loaded first.
    let got = run(
        &so,
        &["--preload", book_so().to_str().unwrap()],
        &quote_ticks(),
    );
    assert_same(&got, &quote_expected(), "quote, preloaded");
    // The JIT resolves them from the preloaded library too; without it,
    // it names them.
    let jit = ["--jit", "--function", "quote"];
    let preload = ["--preload", book_so().to_str().unwrap()];
    let got_jit = run(&nodes_py(), &[&jit[..], &preload].concat(), &quote_ticks());
    assert_eq!(got_jit, got, "quote, preloaded, JIT");
    let o = run_raw(&nodes_py(), &jit, "");
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("double book_mid(int64_t, int64_t)"), "{err}");

    // A C host that defines the functions itself.
    let ticks: Vec<String> = QUOTES
        .iter()
        .map(|(b, a, s)| format!("{b},{a},{}", u8::from(*s)))
        .collect();
    let o = Command::new(host_with_book())
        .arg(&so)
        .arg(m["native_name"].as_str().unwrap())
        .arg(m["fault_symbol"].as_str().unwrap())
        .args(["iib", "fbf", "0"])
        .args(&ticks)
        .output()
        .expect("cannot run the host");
    check(&o, "host_with_book");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let outs: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("tick "))
        .map(|l| {
            l.split_whitespace()
                .find_map(|f| f.strip_prefix("out="))
                .unwrap()
        })
        .collect();
    // The host repeats the last tick after phase 7.
    let mut quotes = QUOTES.to_vec();
    quotes.push(*QUOTES.last().unwrap());
    assert_eq!(outs.len(), quotes.len(), "{stdout}");
    for (out, &(b, a, s)) in outs.iter().zip(&quotes) {
        let m = book_mid(b, a);
        let want = format!(
            "{:016x},{},{:016x}",
            m.to_bits(),
            u8::from(crossed(s, b, a)),
            (m * 2.0).to_bits()
        );
        assert_eq!(*out, want, "quote({b}, {a}, {s}) in the C host:\n{stdout}");
    }
}

#[test]
fn a_missing_extern_is_a_clear_error_not_a_crash() {
    let so = compile("mid", &[]);
    let o = run_raw(&so, &[], "{\"inputs\": [1, 2]}\n");
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("double book_mid(int64_t, int64_t)") && err.contains("--link-bitcode"),
        "{err}"
    );

    // Linked by `ld` (lazy PLT binding) and with no externs listed in the
    // manifest, loading still fails cleanly: the runner binds eagerly.
    let dir = fresh("mid_ld");
    let so = dir.join("mid.so");
    check(
        &compile_cmd(&nodes_py(), "mid", &["--linker", "system"], &so),
        "compile with ld",
    );
    let mut m = manifest(&so);
    m["externs"] = json!([]);
    let bare = dir.join("bare.json");
    std::fs::write(&bare, m.to_string()).unwrap();
    let o = run_raw(
        &so,
        &["--manifest", bare.to_str().unwrap()],
        "{\"inputs\": [1, 2]}\n",
    );
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("undefined symbol: book_mid"), "{err}");
}

#[test]
fn invalid_bitcode_is_a_warning_and_calls_stay_external() {
    let dir = fresh("bad_bc");
    let bad = dir.join("bad.bc");
    std::fs::write(&bad, b"BC\xc0\xde but not really").unwrap();
    let so = dir.join("mid.so");
    let o = compile_cmd(
        &nodes_py(),
        "mid",
        &["--link-bitcode", bad.to_str().unwrap()],
        &so,
    );
    check(&o, "compile with bad bitcode");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cfuncc: warning:")
            && err.contains("bad.bc")
            && err.contains("not LLVM bitcode"),
        "{err}"
    );
    assert_eq!(manifest(&so)["externs"][0]["symbol"], "book_mid");
    let got = run(
        &so,
        &["--preload", book_so().to_str().unwrap()],
        &[json!({"inputs": [3, 8]})],
    );
    assert_same(&got, &[json!({"outputs": [book_mid(3, 8)]})], "mid");

    // The same through the Rust API.
    let ctx = CompilationContext::with_defaults().unwrap();
    let src = std::fs::read_to_string(nodes_py()).unwrap();
    let opts = CompilationOptions::default().with_bitcode("junk", b"not bitcode".to_vec());
    let r = cfuncc::compile_to_so(
        &ctx,
        &src,
        "mid",
        &Constants::new(),
        &opts,
        &dir.join("api.so"),
    )
    .unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].starts_with("junk: not LLVM bitcode"),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.imported_externs.len(), 1);
}

#[test]
fn a_definition_with_another_signature_is_an_error() {
    let dir = fresh("mismatch");
    let c = dir.join("wrong.c");
    std::fs::write(
        &c,
        "#include <stdint.h>\nint64_t book_mid(int64_t bid, int64_t ask) { return bid + ask; }\n",
    )
    .unwrap();
    let bc = dir.join("wrong.bc");
    bitcode_of(&c, &bc);
    let o = compile_cmd(
        &nodes_py(),
        "mid",
        &["--link-bitcode", bc.to_str().unwrap()],
        &dir.join("mid.so"),
    );
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "defines 'book_mid' as `i64 (i64, i64)` but the node declares it `double (i64, i64)`"
        ),
        "{err}"
    );
}

#[test]
fn internalize_decides_whether_linked_functions_are_exported() {
    let bc = book_bc().to_str().unwrap();
    let inner = compile("mid", &["--link-bitcode", bc]);
    let exported = compile("mid", &["--link-bitcode", bc, "--no-internalize"]);
    let defined = |so: &Path| dynamic_symbols(so, "--defined-only");
    // The node, its fault accessor and its layout.
    assert_eq!(defined(&inner).len(), 3, "{:?}", defined(&inner));
    let d = defined(&exported);
    for sym in [
        "book_mid",
        "book_mid_impure",
        "crossed",
        "calls",
        "note",
        "last_note",
    ] {
        assert!(d.contains(&sym.to_string()), "{d:?}");
    }
    assert_ne!(
        manifest(&inner)["semantic_key"],
        manifest(&exported)["semantic_key"]
    );
    let ticks = [json!({"inputs": [5, 6]})];
    let want = [json!({"outputs": [book_mid(5, 6)]})];
    assert_same(&run(&exported, &[], &ticks), &want, "mid, not internalized");
}

/// Before optimisation: an extern's linked definition is `alwaysinline`
/// unless the stub says `inline=False`.
#[test]
fn inline_flag_marks_linked_definitions() {
    let dir = fresh("inline_flag");
    let bc = book_bc().to_str().unwrap();
    let unopt = |inline: &str| {
        let src = dir.join(format!("n_{inline}.py"));
        std::fs::write(
            &src,
            format!(
                "@extern(inline={inline})\ndef book_mid(bid: int, ask: int) -> float: ...\n\n\
                 def f(b: Signal[int], a: Signal[int]) -> Signal[float]:\n    return book_mid(b, a)\n"
            ),
        )
        .unwrap();
        let o = cfuncc()
            .arg("compile")
            .arg(&src)
            .args([
                "--function",
                "f",
                "--emit",
                "llvm-ir-unopt",
                "--link-bitcode",
                bc,
            ])
            .output()
            .unwrap();
        check(&o, "--emit llvm-ir-unopt");
        String::from_utf8(o.stdout).unwrap()
    };
    let attrs_of_definition = |ir: &str| {
        let def = ir
            .lines()
            .find(|l| l.starts_with("define") && l.contains("@book_mid("))
            .unwrap_or_else(|| panic!("book_mid not linked:\n{ir}"));
        let group = def
            .rsplit_once('#')
            .unwrap()
            .1
            .trim_end_matches(" {")
            .trim();
        ir.lines()
            .find_map(|l| l.strip_prefix(&format!("attributes #{group} = ")))
            .unwrap()
            .to_string()
    };
    let yes = attrs_of_definition(&unopt("True"));
    let no = attrs_of_definition(&unopt("False"));
    assert!(yes.contains("alwaysinline"), "{yes}");
    assert!(!no.contains("alwaysinline"), "{no}");
    // The target attributes clang put there are gone.
    for attrs in [&yes, &no] {
        assert!(
            !attrs.contains("target-cpu") && !attrs.contains("target-features"),
            "{attrs}"
        );
    }
}

/// An extern registered from Rust, its body linked from bitcode bytes, the
/// node loaded and run in this process.
#[test]
fn registered_extern_with_in_memory_bitcode() {
    let mut ctx = CompilationContext::with_defaults().unwrap();
    ctx.register_extern(ExternFunction::new(
        "book_mid",
        &[Ty::Int, Ty::Int],
        Some(Ty::Float),
    ))
    .unwrap();
    assert!(ctx
        .register_extern(ExternFunction::new("book_mid", &[], None))
        .is_err());
    let src = "def m(b: Signal[int], a: Signal[int]) -> Signal[float]:\n    return book_mid(b, a) * 2.0\n";
    let bytes = std::fs::read(book_bc()).unwrap();
    let opts = CompilationOptions::default().with_bitcode("book.bc", bytes.clone());
    let dir = fresh("registered");
    let so = dir.join("m.so");
    let r = cfuncc::compile_to_so(&ctx, src, "m", &Constants::new(), &opts, &so).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(r.imported_externs.is_empty());
    assert_eq!(r.signature.externs.len(), 1);
    let mut node = Node::load(&so, &r.manifest()).unwrap();
    node.start().unwrap();
    for (b, a) in [(1i64, 2i64), (-10, 4), (i64::MIN, i64::MIN)] {
        let out = node
            .execute(&[Value::Int(b), Value::Int(a)], &[], &[])
            .unwrap();
        assert_eq!(out, vec![Some(Value::Float(book_mid(b, a) * 2.0))]);
    }

    // The key covers the extern's declaration and the linked bytes.
    let key = |ctx: &CompilationContext, opts: &CompilationOptions| {
        cfuncc::compile_to_object(ctx, src, "m", &Constants::new(), opts)
            .unwrap()
            .result
            .semantic_key
    };
    assert_eq!(key(&ctx, &opts), r.semantic_key);
    let mut impure = CompilationContext::with_defaults().unwrap();
    impure
        .register_extern(
            ExternFunction::new("book_mid", &[Ty::Int, Ty::Int], Some(Ty::Float)).pure(false),
        )
        .unwrap();
    assert_ne!(key(&impure, &opts), r.semantic_key);
    let mut other_bytes = bytes;
    other_bytes.extend_from_slice(&[0; 4]);
    let other = CompilationOptions::default().with_bitcode("book.bc", other_bytes);
    assert_ne!(key(&ctx, &other), r.semantic_key);
}

/// A stub in the source and the extern's purity are part of the key.
#[test]
fn the_semantic_key_covers_extern_declarations() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let key = |decorator: &str, ret: &str| {
        let src = format!(
            "{decorator}\ndef ext(x: int) -> {ret}: ...\n\n\
             def f(x: Signal[int]) -> Signal[float]:\n    return ext(x) * 1.0\n"
        );
        cfuncc::compile_to_object(&ctx, &src, "f", &Constants::new(), &Default::default())
            .unwrap()
            .result
            .semantic_key
    };
    let base = key("@extern", "float");
    assert_eq!(base, key("@extern()", "float"));
    assert_eq!(base, key("@cfuncc.extern", "float"));
    assert_ne!(base, key("@extern(pure=False)", "float"));
    assert_ne!(base, key("@extern(inline=False)", "float"));
    assert_ne!(base, key("@extern", "int"));
    assert_ne!(base, key("@extern(symbol=\"ext2\")", "float"));
}

/// Extern methods on a registered struct (`b.mid()` calls
/// `book_struct_mid(&b)`), a struct argument and datetime/timedelta
/// parameters, with bodies linked from bitcode (run in this process) or
/// from a preloaded library (`cfuncc run --preload`).
#[test]
fn struct_methods_and_datetime_parameters() {
    use cfuncc::types::{StructDef, StructField};
    let mut ctx = CompilationContext::with_defaults().unwrap();
    let field = |name: &str, ty, offset| StructField::new(name, ty, offset);
    let book = ctx
        .register_struct(StructDef {
            name: "Book".into(),
            size: 24,
            fields: vec![
                field("bid", Ty::Float, 0),
                field("ask", Ty::Float, 8),
                field("size", Ty::Int, 16),
            ],
        })
        .unwrap();
    ctx.register_extern(
        ExternFunction::new("mid", &[book], Some(Ty::Float))
            .symbol("book_struct_mid")
            .method(),
    )
    .unwrap();
    ctx.register_extern(
        ExternFunction::new("notional", &[book, Ty::Float], Some(Ty::Float))
            .symbol("book_notional")
            .method(),
    )
    .unwrap();
    // A method needs a struct receiver; a struct cannot be returned.
    assert!(ctx
        .register_extern(ExternFunction::new("bad", &[Ty::Int], Some(Ty::Float)).method())
        .is_err());
    assert!(ctx
        .register_extern(ExternFunction::new("bad", &[], Some(book)))
        .is_err());

    let src = "@extern\ndef age_ns(then: datetime, now: datetime) -> timedelta: ...\n\n\
               def f(b: Signal[Book], then: Signal[datetime], now: Signal[datetime]) -> Outputs(mid=float, notional=float, age=timedelta):\n    \
               return b.mid(), b.notional(b.bid), age_ns(then, now)\n";
    let ir = cfuncc::compile_to_object(&ctx, src, "f", &Constants::new(), &Default::default())
        .unwrap()
        .result
        .llvm_ir
        .unwrap();
    assert!(ir.contains("declare double @book_struct_mid(ptr)"), "{ir}");
    assert!(declaration_attributes(&ir, "book_struct_mid").contains("memory(read)"));
    assert!(ir.contains("declare i64 @age_ns(i64, i64)"), "{ir}");

    let books = [(99.5, 100.5, 3i64), (1.25, 2.0, -4), (0.0, 0.0, 0)];
    let times = [
        (0i64, 1_000_000_000i64),
        (1_700_000_000_000_000_000, 1_700_000_000_000_000_123),
        (5, -5),
    ];
    let expected: Vec<(f64, f64, i64)> = books
        .iter()
        .zip(&times)
        .map(|(&(bid, ask, size), &(then, now))| {
            ((bid + ask) * 0.5, bid * size as f64, now.wrapping_sub(then))
        })
        .collect();

    // Linked from bitcode, run here.
    let dir = fresh("methods");
    let opts =
        CompilationOptions::default().with_bitcode("book.bc", std::fs::read(book_bc()).unwrap());
    let so = dir.join("linked.so");
    let r = cfuncc::compile_to_so(&ctx, src, "f", &Constants::new(), &opts, &so).unwrap();
    assert!(r.imported_externs.is_empty() && r.warnings.is_empty());
    let mut node = Node::load(&so, &r.manifest()).unwrap();
    node.start().unwrap();
    for ((&(bid, ask, size), &(then, now)), &(mid, notional, age)) in
        books.iter().zip(&times).zip(&expected)
    {
        let b = Value::Struct(vec![Value::Float(bid), Value::Float(ask), Value::Int(size)]);
        let out = node
            .execute(&[b, Value::Int(then), Value::Int(now)], &[], &[])
            .unwrap();
        assert_eq!(
            out,
            vec![
                Some(Value::Float(mid)),
                Some(Value::Float(notional)),
                Some(Value::Int(age))
            ]
        );
    }

    // Provided by a preloaded library, run by `cfuncc run`.
    let so = dir.join("external.so");
    let r =
        cfuncc::compile_to_so(&ctx, src, "f", &Constants::new(), &Default::default(), &so).unwrap();
    std::fs::write(so.with_extension("json"), r.manifest().to_string()).unwrap();
    let ticks: Vec<Json> = books
        .iter()
        .zip(&times)
        .map(|(&(bid, ask, size), &(then, now))| {
            json!({"inputs": [{"bid": bid, "ask": ask, "size": size}, then, now]})
        })
        .collect();
    let want: Vec<Json> = expected
        .iter()
        .map(|(m, n, a)| json!({"outputs": {"mid": m, "notional": n, "age": a}}))
        .collect();
    let got = run(&so, &["--preload", book_so().to_str().unwrap()], &ticks);
    assert_same(&got, &want, "struct methods, preloaded");
}
