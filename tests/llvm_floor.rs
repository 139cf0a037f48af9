//! `scripts/llvm-floor` (docs/startup.md, "LLVM's floor"): builds its C
//! harness against libLLVM-22 and prints a row per node plus the empty
//! module, every number a positive time, run here against the debug
//! binary with the fewest rounds. No time is compared with another. A
//! missing python3, clang-22 or libLLVM-22 fails the test.

use std::process::Command;

mod common;

const ROWS: [&str; 4] = ["ema", "dict (count)", "order book", "empty module"];

#[test]
fn every_row_from_the_harness() {
    let o = Command::new("python3")
        .arg(common::root().join("scripts/llvm-floor"))
        .args(["--processes", "1", "--rounds", "2"])
        .args(["--cfuncc", env!("CARGO_BIN_EXE_cfuncc")])
        .current_dir(common::root())
        .output()
        .unwrap_or_else(|e| panic!("python3 is not installed: {e}"));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "exit {:?}\n{out}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut lines = out.lines().filter(|l| !l.starts_with('#'));
    assert!(lines.next().is_some_and(|h| h.starts_with("row")), "{out}");
    let mut names = Vec::new();
    for l in lines {
        let name = ROWS
            .iter()
            .find(|r| l.starts_with(*r))
            .unwrap_or_else(|| panic!("an unknown row `{l}`\n{out}"));
        let cells: Vec<&str> = l[name.len()..].split_whitespace().collect();
        assert_eq!(cells.len(), 5, "`{l}`");
        // First and warm optimisation and codegen: LLVM did some work.
        for c in &cells[..4] {
            let ms: f64 = c.parse().unwrap_or_else(|_| panic!("`{c}` in `{l}`"));
            assert!(ms > 0.0, "`{l}`");
        }
        // cfuncc's own total, for the nodes only.
        match *name {
            "empty module" => assert_eq!(cells[4], "-", "`{l}`"),
            _ => assert!(cells[4].parse::<f64>().is_ok_and(|t| t > 0.0), "`{l}`"),
        }
        names.push(*name);
    }
    assert_eq!(names, ROWS, "{out}");
}

#[test]
fn too_few_rounds_is_a_usage_error() {
    let o = Command::new("python3")
        .arg(common::root().join("scripts/llvm-floor"))
        .args(["--rounds", "1"])
        .current_dir(common::root())
        .output()
        .unwrap_or_else(|e| panic!("python3 is not installed: {e}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--rounds at least 2"));
}
