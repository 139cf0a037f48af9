//! Differential tests against CPython: every node in tests/differential/
//! nodes/ plus nodes generated from a seeded grammar (scalar and container
//! programs), run tick by tick in CPython (tests/differential/oracle.py) and
//! compiled, then compared. Faults are compared too: where CPython raises
//! what the compiled node reports as a fault (IndexError, KeyError, ...),
//! the oracle prints `{"error": {"code", "line"}}` and the run goes on.
//! Every node also runs through the JIT (`cfuncc run --jit`), whose output
//! must be the `.so`'s, line for line.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Compiles and runs one node and compares with the oracle.
fn check(node: &Path, tmp: &Path) -> Result<(), String> {
    let source = std::fs::read_to_string(node).unwrap();
    let ticks = std::fs::read_to_string(node.with_extension("ticks.jsonl"))
        .map_err(|e| format!("ticks: {e}"))?;
    let expected = common::oracle(node, &ticks)?;
    let name = node.file_stem().unwrap().to_string_lossy().to_string();
    let so = tmp.join(format!("{name}.so"));
    let args = common::header_args(&source);
    common::compile(node, &args, &so)?;
    let got = common::run(&so, &ticks)?;
    let jit = common::run_jit(node, &args, &ticks)?;
    if jit != got {
        return Err(format!(
            "the JIT differs from the .so: JIT {jit:?}, .so {got:?}"
        ));
    }
    if got.len() != expected.len() {
        return Err(format!(
            "{} lines from cfuncc run, {} from CPython",
            got.len(),
            expected.len()
        ));
    }
    // Whether the node keeps state across ticks (every node has the hidden
    // fault slot; a stateless one has nothing else).
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(so.with_extension("json")).unwrap()).unwrap();
    let stateful = manifest["state"]
        .as_array()
        .is_some_and(|s| s.iter().any(|s| s["name"] != "<fault>"));
    let mut compared = 0;
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        if e.get("oracle_error").is_some() {
            // CPython raised where the compiled node has defined behaviour:
            // that tick has no answer, and a stateful node's state after it
            // is not comparable; a stateless node's next ticks are.
            if stateful {
                break;
            }
            continue;
        }
        compared += 1;
        if let Some(fault) = e.get("error") {
            // CPython raised what the compiled node reports as a fault: the
            // same code at the same line. Mutations made before the raise
            // stay in both, so the run goes on.
            if !same_fault(g.get("error"), fault) {
                return Err(format!("tick {i}: compiled {g}, CPython {e}"));
            }
            continue;
        }
        if !common::same(g, e) {
            return Err(format!("tick {i}: compiled {g}, CPython {e}"));
        }
    }
    // A node whose every tick CPython cannot answer tests nothing.
    if compared == 0 {
        return Err("no tick compared: CPython has no answer for the first tick".into());
    }
    Ok(())
}

/// The compiled fault `got` matches the oracle's `{"code": N, "line": L}`
/// (the oracle has no column: CPython's differ for some expressions).
fn same_fault(got: Option<&Value>, want: &Value) -> bool {
    let Some(got) = got else { return false };
    got.get("code") == want.get("code")
        && want.get("line").is_none_or(|l| got.get("line") == Some(l))
}

fn nodes_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    v.sort();
    v
}

fn run_all(nodes: &[PathBuf], tmp: &Path, what: &str, min: usize) {
    let mut failures = Vec::new();
    for n in nodes {
        if let Err(e) = check(n, tmp) {
            failures.push(format!("{}: {e}", n.display()));
        }
    }
    println!(
        "differential ({what}): {} passed, {} failed",
        nodes.len() - failures.len(),
        failures.len()
    );
    assert!(
        nodes.len() >= min,
        "expected at least {min} {what} nodes, found {}",
        nodes.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} {what} nodes differ from CPython:\n{}",
        failures.len(),
        nodes.len(),
        failures.join("\n")
    );
}

#[test]
fn hand_written_nodes_match_cpython() {
    let scratch = common::temp_dir("differential");
    let tmp = scratch.path();
    run_all(
        &nodes_in(&common::root().join("tests/differential/nodes")),
        &tmp,
        "hand-written",
        100,
    );
}

#[test]
fn generated_nodes_match_cpython() {
    let scratch = common::temp_dir("generated");
    let tmp = scratch.path();
    let gen = tmp.join("nodes");
    common::generate_nodes(&gen);
    // 30 scalar nodes (gen_*) and 20 with lists and dicts (genc_*).
    run_all(&nodes_in(&gen), &tmp, "generated", 50);
}
