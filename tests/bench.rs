//! `cfuncc bench`: the shape of its table and of its JSON on a short run of
//! ema with two variants and the C reference, the equality check (a C
//! version that computes something else is reported at its first tick),
//! ticks from a file, and its usage errors. No test looks at a time beyond
//! its being a positive number.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

mod common;

fn bench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .arg("bench")
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("run cfuncc bench")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The error of a run that must fail as a usage error (exit 2).
fn usage_error(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    err
}

const EMA: [&str; 6] = [
    "examples/ema.py",
    "--function",
    "ema",
    "--const",
    "alpha=0.5",
    "--rounds",
];

fn ema(extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = EMA.iter().map(|s| s.to_string()).collect();
    v.push("2".into());
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn table_has_one_row_per_variant_and_the_c_reference() {
    let args = ema(&[
        "--random",
        "500",
        "--variant",
        "O2=",
        "--variant",
        "O0=--opt-level 0",
        "--c",
        "benches/c/ema.c",
    ]);
    let out = stdout(&bench(&strs(&args)));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(
        lines[0].starts_with("bench ema (examples/ema.py): 500 ticks (random, seed 1), 2 rounds"),
        "{out}"
    );
    let header: Vec<&str> = lines[1].split("  ").filter(|s| !s.is_empty()).collect();
    assert_eq!(
        header.iter().map(|s| s.trim()).collect::<Vec<_>>(),
        [
            "variant",
            "min ns/tick",
            "median ns/tick",
            "ratio",
            "code bytes",
            "outputs"
        ],
        "{out}"
    );
    for (line, name, outputs) in [
        (lines[2], "O2", "(baseline)"),
        (lines[3], "O0", "equal"),
        (lines[4], "c", "equal"),
    ] {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols[0], name, "{out}");
        let min: f64 = cols[1].parse().unwrap();
        let median: f64 = cols[2].parse().unwrap();
        let ratio: f64 = cols[3].parse().unwrap();
        let code: u64 = cols[4].parse().unwrap();
        assert!(
            min > 0.0 && median >= min && ratio > 0.0 && code > 0,
            "{out}"
        );
        assert_eq!(cols[5], outputs, "{out}");
    }
    assert!(lines[2].contains(" 1.00 "), "the baseline's ratio: {out}");
}

#[test]
fn json_has_every_field_for_scripts() {
    let args = ema(&[
        "--random",
        "300",
        "--seed",
        "7",
        "--variant",
        "base=",
        "--variant",
        "fast=--opt-level 3 --fastmath",
        "--c",
        "benches/c/ema.c:c_ema",
        "--json",
    ]);
    let j: Value = serde_json::from_str(&stdout(&bench(&strs(&args)))).expect("JSON");
    assert_eq!(j["function"], "ema");
    assert_eq!(j["ticks"], 300);
    assert_eq!(j["tick_source"], "random");
    assert_eq!(j["seed"], 7);
    assert_eq!(j["rounds"], 2);
    let rows = j["variants"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["base", "fast", "c"]);
    for r in rows {
        for key in [
            "name",
            "flags",
            "kind",
            "min_ns_per_tick",
            "median_ns_per_tick",
            "ratio",
            "code_bytes",
            "so_bytes",
            "outputs_equal",
            "first_difference",
            "faulted_ticks",
            "semantic_key",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        assert!(r["min_ns_per_tick"].as_f64().unwrap() > 0.0);
        assert!(r["code_bytes"].as_u64().unwrap() > 0);
        assert!(r["so_bytes"].as_u64().unwrap() >= r["code_bytes"].as_u64().unwrap());
        assert_eq!(r["outputs_equal"], true, "{r}");
        assert_eq!(r["faulted_ticks"], 0);
    }
    assert_eq!(rows[0]["ratio"], 1.0);
    assert_eq!(rows[1]["flags"], "--opt-level 3 --fastmath");
    assert_eq!(rows[2]["kind"], "c");
    assert!(rows[2]["semantic_key"].is_null());
    assert_ne!(rows[0]["semantic_key"], rows[1]["semantic_key"]);
}

/// A C version with another alpha differs from the first tick on, and the
/// report says where and what.
#[test]
fn a_c_version_that_differs_is_reported_at_its_first_tick() {
    let scratch = common::temp_dir("bench_differs");
    let c = scratch.path().join("wrong.c");
    std::fs::write(
        &c,
        std::fs::read_to_string(common::root().join("benches/c/ema.c"))
            .unwrap()
            .replace("alpha = 0.5", "alpha = 0.25"),
    )
    .unwrap();
    let ticks = scratch.path().join("ticks.jsonl");
    std::fs::write(
        &ticks,
        "{\"inputs\": [0.0]}\n{\"inputs\": [8.0]}\n{\"inputs\": [8.0], \"ticked\": [true]}\n",
    )
    .unwrap();
    let args = ema(&[
        "--ticks",
        ticks.to_str().unwrap(),
        "--variant",
        "base=",
        "--c",
        c.to_str().unwrap(),
        "--json",
    ]);
    let j: Value = serde_json::from_str(&stdout(&bench(&strs(&args)))).unwrap();
    assert_eq!(j["ticks"], 3);
    assert!(j["seed"].is_null());
    let c_row = &j["variants"][1];
    assert_eq!(c_row["outputs_equal"], false);
    // Tick 0: both 0.0; tick 1: 0.5 * 8 = 4.0 against 0.25 * 8 = 2.0.
    assert_eq!(
        c_row["first_difference"],
        serde_json::json!({"tick": 1, "output": "output_0", "baseline": 4.0, "value": 2.0})
    );
    let args = ema(&[
        "--ticks",
        ticks.to_str().unwrap(),
        "--variant",
        "base=",
        "--c",
        c.to_str().unwrap(),
    ]);
    let out = stdout(&bench(&strs(&args)));
    assert!(
        out.lines()
            .last()
            .unwrap()
            .ends_with("differ: tick 1, output_0: 4.0 vs 2.0"),
        "{out}"
    );
}

#[test]
fn faults_are_counted_and_compared() {
    let scratch = common::temp_dir("bench_faults");
    let node = scratch.path().join("div.py");
    std::fs::write(
        &node,
        "def div(a: Signal[int], b: Signal[int]) -> Signal[int]:\n    return a >> (b + 40)\n",
    )
    .unwrap();
    let o = bench(&[
        node.to_str().unwrap(),
        "--function",
        "div",
        "--random",
        "2000",
        "--rounds",
        "1",
        "--variant",
        "a=",
        "--variant",
        "b=--opt-level 1",
        "--json",
    ]);
    let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // b in [-50, 50]: about 10 ticks in 101 shift by a negative amount.
    let faulted = j["variants"][0]["faulted_ticks"].as_u64().unwrap();
    assert!(faulted > 50 && faulted < 400, "{j}");
    assert_eq!(j["variants"][1]["faulted_ticks"].as_u64().unwrap(), faulted);
    assert_eq!(j["variants"][1]["outputs_equal"], true);
}

#[test]
fn usage_errors_say_what_to_do() {
    let scratch = common::temp_dir("bench_errors");
    let two = scratch.path().join("two.c");
    std::fs::write(
        &two,
        "#include <stdint.h>\nvoid a(void) {}\nvoid b(void) {}\n",
    )
    .unwrap();
    let bad_ticks = scratch.path().join("bad.jsonl");
    std::fs::write(&bad_ticks, "{\"inputs\": [1.0, 2.0]}\n").unwrap();
    let phase = scratch.path().join("phase.jsonl");
    std::fs::write(&phase, "{\"phase\": \"start\"}\n").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (ema(&["--variant", "noequals"]), "write NAME=FLAGS"),
        (
            ema(&["--variant", "x=--no-such-flag"]),
            "--variant x: unexpected argument '--no-such-flag'",
        ),
        (
            ema(&["--variant", "a=", "--variant", "a=--fastmath"]),
            "two variants are named 'a'",
        ),
        (
            ema(&["--variant", "p=--pass-pipeline=cfunc-resolve,nope"]),
            "'nope' is neither a cfunc pass nor an MLIR pass",
        ),
        (
            ema(&["--variant", "a=", "--c", two.to_str().unwrap()]),
            "it defines 2 external functions (a, b); name one",
        ),
        (
            ema(&["--variant", "a=", "--c", "missing.c"]),
            "no such file",
        ),
        (
            ema(&["--variant", "a=", "--ticks", bad_ticks.to_str().unwrap()]),
            "bad.jsonl:1: expected 1 inputs, got 2",
        ),
        (
            ema(&["--variant", "a=", "--ticks", phase.to_str().unwrap()]),
            "a phase line",
        ),
    ];
    for (args, expected) in cases {
        let err = usage_error(&bench(&strs(&args)));
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    // No variant at all: clap's own usage error.
    let o = bench(&["examples/ema.py", "--function", "ema"]);
    assert_eq!(o.status.code(), Some(2));
    // A compile error in the node keeps its location (exit 1).
    let bad = scratch.path().join("bad.py");
    std::fs::write(
        &bad,
        "def f(x: Signal[float]) -> Signal[float]:\n    return y\n",
    )
    .unwrap();
    let o = bench(&[bad.to_str().unwrap(), "--function", "f", "--variant", "a="]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.py:2:12"));
    assert!(Path::new(&bad).exists());
}
