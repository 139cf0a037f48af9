//! The three fuzzers of tests/fuzz (docs/fuzzing.md) on a fixed seed with a
//! bounded budget (about a minute in all on two cores with debug binaries):
//! differential (compiled node vs CPython), mutation (crashes of cfuncc
//! compile, cfunc-opt and cfuncc run) and lifecycle (random phases under
//! valgrind). Any crash, mismatch or valgrind error fails the test; a
//! missing python3, valgrind or cc fails it too. Known open defects are
//! excluded by the fuzzers' defaults (docs/fuzzing.md lists them).

mod common;

use std::process::Command;

/// Runs `tests/fuzz/SCRIPT` with `args`; prints its output, and fails with
/// it unless it exits 0. Returns the counts line (the one before the last).
fn fuzz(script: &str, args: &[&str]) -> String {
    let scratch = common::temp_dir(&format!("fuzz-{script}"));
    let out_dir = scratch.path();
    let o = Command::new("python3")
        .arg(common::root().join("tests/fuzz").join(script))
        .args(args)
        .arg("--out")
        .arg(&out_dir)
        .current_dir(common::root())
        .output()
        .unwrap_or_else(|e| panic!("python3 is not installed: {e}"));
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    let stderr = String::from_utf8_lossy(&o.stderr);
    println!("{stdout}");
    if !o.status.success() {
        // The findings outlive the failed test.
        let kept = scratch.keep();
        panic!(
            "{script} failed ({}); findings in {}\n{stdout}\n{stderr}",
            o.status,
            kept.display()
        );
    }
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.last().is_some_and(|l| l.ends_with(" 0 failed")),
        "{script}: no closing line\n{stdout}"
    );
    lines[lines.len().saturating_sub(2)].to_string()
}

const CFUNCC: &str = env!("CARGO_BIN_EXE_cfuncc");
const CFUNC_OPT: &str = env!("CARGO_BIN_EXE_cfunc-opt");

#[test]
fn differential_fuzzer_finds_no_mismatch() {
    let counts = fuzz(
        "difffuzz.py",
        &["--cfuncc", CFUNCC, "--seed", "13", "--count", "240"],
    );
    assert!(counts.contains("240 programs generated"), "{counts}");
    assert!(counts.contains(" 0 crashes, 0 mismatches"), "{counts}");
    // Every generated program is well typed: a compile error is a defect.
    assert!(counts.contains(" 0 rejected by the compiler"), "{counts}");
}

#[test]
fn mutation_fuzzer_finds_no_crash() {
    let counts = fuzz(
        "mutfuzz.py",
        &[
            "--cfuncc",
            CFUNCC,
            "--cfunc-opt",
            CFUNC_OPT,
            "--seed",
            "13",
            "--count",
            "480",
        ],
    );
    assert!(counts.contains("480 mutants"), "{counts}");
    assert!(counts.contains(" 0 failures"), "{counts}");
}

#[test]
fn lifecycle_fuzzer_finds_no_valgrind_error() {
    let counts = fuzz(
        "lifefuzz.py",
        &[
            "--cfuncc", CFUNCC, "--seed", "13", "--count", "16", "--steps", "200",
        ],
    );
    assert!(counts.contains("16 nodes"), "{counts}");
    assert!(counts.contains(" 0 failures"), "{counts}");
}
