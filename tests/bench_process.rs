//! `scripts/bench-compile-process` (docs/startup.md): two runs of every row
//! against the debug binary, alone and with `--compare`, and the shape of
//! its table (every row present, every number parses); and its error for a
//! binary that does not exist. No test looks at a time beyond its being a
//! number. A missing python3 fails the test.

use std::process::{Command, Output};

mod common;

const ROWS: [&str; 4] = [
    "--version",
    "compile ema",
    "compile dict (count)",
    "compile order book",
];

fn script(args: &[&str]) -> Output {
    Command::new("python3")
        .arg(common::root().join("scripts/bench-compile-process"))
        .args(args)
        .current_dir(common::root())
        .output()
        .unwrap_or_else(|e| panic!("python3 is not installed: {e}"))
}

/// The table's rows after the header: (row name, its numbers).
fn table(o: &Output, columns: usize) -> Vec<(String, Vec<f64>)> {
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "exit {:?}\n{out}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut lines = out.lines().filter(|l| !l.starts_with('#'));
    let header = lines.next().expect("a header");
    assert!(header.starts_with("row"), "{out}");
    let rows: Vec<(String, Vec<f64>)> = lines
        .map(|l| {
            let name = ROWS
                .iter()
                .find(|r| l.starts_with(*r))
                .unwrap_or_else(|| panic!("an unknown row `{l}`\n{out}"));
            let nums: Vec<f64> = l[name.len()..]
                .split_whitespace()
                .map(|x| {
                    x.parse()
                        .unwrap_or_else(|_| panic!("`{x}` in `{l}` is not a number"))
                })
                .collect();
            assert_eq!(nums.len(), columns, "`{l}`\n{out}");
            assert!(nums.iter().all(|x| *x >= 0.0), "`{l}`");
            (name.to_string(), nums)
        })
        .collect();
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ROWS, "{out}");
    for (name, nums) in &rows {
        // min <= median, and a process takes some time and faults some pages.
        assert!(nums[0] > 0.0 && nums[0] <= nums[1], "{name}: {nums:?}");
        assert!(nums[4] > 0.0, "{name}: no page faults? {nums:?}");
    }
    rows
}

#[test]
fn every_row_against_the_debug_binary() {
    let bin = env!("CARGO_BIN_EXE_cfuncc");
    let o = script(&["--runs", "2", "--cfuncc", bin]);
    // min, median, user, sys, minor faults.
    table(&o, 5);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(&format!("# cfuncc: {bin}")), "{out}");
}

#[test]
fn compare_puts_a_second_binary_beside() {
    let bin = env!("CARGO_BIN_EXE_cfuncc");
    let o = script(&[
        "--runs",
        "1",
        "--warmup",
        "0",
        "--cfuncc",
        bin,
        "--compare",
        bin,
    ]);
    // Five columns per binary and the ratio of the medians.
    for (name, nums) in table(&o, 11) {
        assert!(nums[10] > 0.0, "{name}: {nums:?}");
    }
}

#[test]
fn a_missing_binary_says_how_to_build_it() {
    let o = script(&["--runs", "1", "--cfuncc", "target/no-such-dir/cfuncc"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("target/no-such-dir/cfuncc") && err.contains("cargo build --release"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}
