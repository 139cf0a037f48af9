//! `scripts/llvm-floor` (docs/startup.md, "LLVM's floor"): builds its C
//! harness against libLLVM-22 and prints a row per node plus the empty
//! module, every number a positive time, run here against the debug
//! binary with the fewest rounds. No time is compared with another. A
//! missing python3, clang-22 or libLLVM-22 fails the test.

mod common;

const ROWS: [&str; 4] = ["ema", "dict (count)", "order book", "empty module"];

#[test]
fn every_row_from_the_harness() {
    let o = common::script(
        "llvm-floor",
        &[
            "--processes",
            "1",
            "--rounds",
            "2",
            "--cfuncc",
            env!("CARGO_BIN_EXE_cfuncc"),
        ],
    );
    for (name, cells) in common::table_rows(&o, &ROWS) {
        assert_eq!(cells.len(), 5, "`{name}`: {cells:?}");
        // First and warm optimisation and codegen: LLVM did some work.
        for c in &cells[..4] {
            let ms: f64 = c.parse().unwrap_or_else(|_| panic!("`{c}` in `{name}`"));
            assert!(ms > 0.0, "`{name}`: {cells:?}");
        }
        // cfuncc's own total, for the nodes only.
        match name {
            "empty module" => assert_eq!(cells[4], "-", "{cells:?}"),
            _ => assert!(
                cells[4].parse::<f64>().is_ok_and(|t| t > 0.0),
                "`{name}`: {cells:?}"
            ),
        }
    }
}

#[test]
fn too_few_rounds_is_a_usage_error() {
    let o = common::script("llvm-floor", &["--rounds", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--rounds at least 2"));
}
