//! `scripts/bench-compile-process` (docs/startup.md): two runs of every row
//! against the debug binary, alone and with `--compare`, and the shape of
//! its table (every row present, every number parses); and its error for a
//! binary that does not exist. No test looks at a time beyond its being a
//! number. A missing python3 fails the test.

use std::process::Output;

mod common;

const ROWS: [&str; 4] = [
    "--version",
    "compile ema",
    "compile dict (count)",
    "compile order book",
];

fn script(args: &[&str]) -> Output {
    common::script("bench-compile-process", args)
}

/// The table's rows after the header: (row name, its numbers).
fn table(o: &Output, columns: usize) -> Vec<(String, Vec<f64>)> {
    let rows: Vec<(String, Vec<f64>)> = common::table_rows(o, &ROWS)
        .into_iter()
        .map(|(name, cells)| {
            let nums: Vec<f64> = cells
                .iter()
                .map(|x| {
                    x.parse()
                        .unwrap_or_else(|_| panic!("`{x}` in row `{name}` is not a number"))
                })
                .collect();
            assert_eq!(nums.len(), columns, "`{name}`: {cells:?}");
            assert!(nums.iter().all(|x| *x >= 0.0), "`{name}`: {cells:?}");
            (name.to_string(), nums)
        })
        .collect();
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
