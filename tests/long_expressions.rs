//! Long expressions and long chains of dependent values: cfuncc and
//! cfunc-opt never abort on them. The frontend, the parser and LLVM's
//! analyses recurse with the program, so every compile runs on a 1 GiB
//! stack of its own (`cfuncc::with_compile_stack`), and nesting deeper than
//! `cfuncc::frontend::MAX_NESTING` is a located error.
//!
//! The binaries run under `ulimit -s 1024`: the compile must not depend on
//! the stack it is started on, and a 1 MiB stack makes modest sources
//! (600 terms) overflow where the compile used the caller's stack.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn header() -> String {
    "def f(x: Signal[int]) -> Signal[int]:\n".to_string()
}

/// `return x OP x OP ... OP x` with `n` terms.
fn chain(op: &str, n: usize) -> String {
    let terms = vec!["x"; n].join(&format!(" {op} "));
    format!("{}    return {terms}\n", header())
}

/// `n` statements `y = x ** y`: shallow AST, one long chain of dependent
/// power loops (recursion in LLVM's ScalarEvolution).
fn statement_chain(n: usize) -> String {
    let mut s = header();
    s.push_str("    y = x\n");
    for _ in 0..n {
        s.push_str("    y = x ** y\n");
    }
    s.push_str("    return y\n");
    s
}

/// Runs `bin args...` on a 1 MiB main stack.
fn small_stack(bin: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("ulimit -s 1024 && exec \"$@\"")
        .arg("sh")
        .arg(bin)
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("run sh")
}

fn write(dir: &Path, name: &str, src: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, src).unwrap();
    p.to_string_lossy().into_owned()
}

fn assert_ok(what: &str, o: &Output) {
    assert!(
        o.status.success(),
        "{what}: {:?}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

const CFUNCC: &str = env!("CARGO_BIN_EXE_cfuncc");
const CFUNC_OPT: &str = env!("CARGO_BIN_EXE_cfunc-opt");

#[test]
fn long_sum_compiles_and_runs() {
    let scratch = common::temp_dir("long-sum");
    let dir = scratch.path();
    let py = write(&dir, "sum.py", &chain("+", 18_000));
    let so = dir.join("sum.so").to_string_lossy().into_owned();
    let o = small_stack(CFUNCC, &["compile", &py, "--function", "f", "-o", &so]);
    assert_ok("cfuncc compile", &o);
    let got = common::run(Path::new(&so), "{\"inputs\": [3]}\n").unwrap();
    assert_eq!(got, vec![serde_json::json!({"outputs": [54_000]})]);
    let o = small_stack(
        CFUNC_OPT,
        &[&py, "--function", "f", "--emit-stage", "cfunc-to-llvm"],
    );
    assert_ok("cfunc-opt", &o);
}

#[test]
fn long_power_tower_lowers() {
    // 2,000 terms at O2 take LLVM about a minute; the frontend and every
    // cfunc pass see the whole tower, LLVM a shorter one below.
    let scratch = common::temp_dir("long-pow");
    let dir = scratch.path();
    let py = write(&dir, "pow.py", &chain("**", 2_000));
    let o = small_stack(
        CFUNCC,
        &["compile", &py, "--function", "f", "--emit", "cfunc"],
    );
    assert_ok("cfuncc compile --emit cfunc", &o);
    let so = dir.join("pow.so").to_string_lossy().into_owned();
    let o = small_stack(
        CFUNCC,
        &[
            "compile",
            &py,
            "--function",
            "f",
            "--opt-level",
            "0",
            "-o",
            &so,
        ],
    );
    assert_ok("cfuncc compile --opt-level 0", &o);
    let o = small_stack(
        CFUNC_OPT,
        &[&py, "--function", "f", "--emit-stage", "cfunc-to-llvm"],
    );
    assert_ok("cfunc-opt", &o);
}

#[test]
fn dependent_power_loops_survive_llvm() {
    let scratch = common::temp_dir("pow-chain");
    let dir = scratch.path();
    for (name, src) in [
        ("tower.py", chain("**", 600)),
        ("statements.py", statement_chain(600)),
    ] {
        let py = write(&dir, name, &src);
        let so = dir
            .join(format!("{name}.so"))
            .to_string_lossy()
            .into_owned();
        let o = small_stack(CFUNCC, &["compile", &py, "--function", "f", "-o", &so]);
        assert_ok(name, &o);
        // 1 ** 1 ** ... = 1
        let got = common::run(Path::new(&so), "{\"inputs\": [1]}\n").unwrap();
        assert_eq!(got, vec![serde_json::json!({"outputs": [1]})], "{name}");
    }
}

#[test]
fn too_deep_is_a_located_error() {
    let scratch = common::temp_dir("too-deep");
    let dir = scratch.path();
    let py = write(&dir, "deep.py", &chain("+", 30_000));
    for (bin, args) in [
        (
            CFUNCC,
            vec!["compile", &py, "--function", "f", "--emit", "cfunc"],
        ),
        (CFUNC_OPT, vec![&py, "--function", "f"]),
    ] {
        let o = small_stack(bin, &args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{bin}: {err}");
        let first = err.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("{py}:2:12: error: expression too deeply nested (more than 25000 levels)"),
            "{bin}"
        );
    }
}

#[test]
fn library_compile_does_not_need_the_callers_stack() {
    // A thread with a 256 KiB stack compiles a 5,000-term sum in process.
    let src = chain("+", 5_000);
    let text = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let ctx = cfuncc::CompilationContext::with_defaults().unwrap();
            cfuncc::compile_to_mlir(
                &ctx,
                &src,
                "f",
                &cfuncc::Constants::new(),
                &cfuncc::CompilationOptions::default(),
                cfuncc::Stage::Cfunc,
            )
        })
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    assert!(text.contains("arith.addi"));
}

#[test]
fn long_conditional_chain_compiles_and_runs() {
    // `1 if x == 1 else 2 if x == 2 else ...`: cfunc-resolve once gave up
    // ("did not converge") from ten levels on.
    let scratch = common::temp_dir("ternary-chain");
    let dir = scratch.path();
    let chain: Vec<String> = (1..=1000).map(|i| format!("{i} if x == {i}")).collect();
    let src = format!("{}    return {} else 0\n", header(), chain.join(" else "));
    let py = write(&dir, "chain.py", &src);
    let so = dir.join("chain.so").to_string_lossy().into_owned();
    let o = small_stack(CFUNCC, &["compile", &py, "--function", "f", "-o", &so]);
    assert_ok("cfuncc compile", &o);
    let got = common::run(
        Path::new(&so),
        "{\"inputs\": [777]}\n{\"inputs\": [1001]}\n",
    )
    .unwrap();
    assert_eq!(
        got,
        vec![
            serde_json::json!({"outputs": [777]}),
            serde_json::json!({"outputs": [0]})
        ]
    );
}
