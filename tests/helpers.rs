//! Helpers (module-level Python functions called from a node, inlined;
//! src/frontend/helpers.rs) that read and write the fields of a struct they
//! are given: the writes land in the caller's struct, as Python passes
//! objects. The CPython side of helpers is the differential suite
//! (tests/differential/nodes/helpers_*.py); structs are not modelled by the
//! oracle, so this test holds the node against the same arithmetic in Rust.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

const TYPES: &str = r#"{"structs": {"Book": {"size": 24, "fields": [
    {"name": "bid", "type": "float", "offset": 0},
    {"name": "ask", "type": "float", "offset": 8},
    {"name": "n", "type": "int", "offset": 16}]}}}"#;

const NODE: &str = "
def widen(b, by):
    b.bid -= by
    b.ask += by
    b.n += 1


def mid(b):
    return (b.bid + b.ask) / 2.0


def node(q: Signal[Book], spread: Signal[float]) -> Signal[float]:
    best: State[Book] = Book(bid=1.0, ask=2.0)
    widen(best, spread)
    return mid(q) * 100.0 + best.ask - best.bid + best.n
";

#[test]
fn helpers_change_the_structs_they_are_given() {
    let tmp = common::temp_dir("helpers-struct");
    let (py, types, so) = (
        tmp.path().join("n.py"),
        tmp.path().join("t.json"),
        tmp.path().join("n.so"),
    );
    std::fs::write(&py, NODE).unwrap();
    std::fs::write(&types, TYPES).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .arg("compile")
        .arg(&py)
        .args(["--function", "node", "--no-cache", "--types"])
        .arg(&types)
        .arg("-o")
        .arg(&so)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ticks = [(99.0, 101.0, 0.5), (10.0, 12.0, 0.25), (1.0, 3.0, 1.0)];
    let lines: String = ticks
        .iter()
        .map(|(b, a, s)| {
            format!("{{\"inputs\": [{{\"bid\": {b}, \"ask\": {a}, \"n\": 0}}, {s}]}}\n")
        })
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .arg("run")
        .arg(&so)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let got: Vec<f64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["outputs"][0]
                .as_f64()
                .unwrap()
        })
        .collect();
    // The same in Rust: `best` widens by each tick's spread, its count grows.
    let (mut bid, mut ask, mut n) = (1.0f64, 2.0f64, 0i64);
    let want: Vec<f64> = ticks
        .iter()
        .map(|(b, a, s)| {
            bid -= s;
            ask += s;
            n += 1;
            (b + a) / 2.0 * 100.0 + ask - bid + n as f64
        })
        .collect();
    assert_eq!(got, want);
}
