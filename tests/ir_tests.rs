//! IR expectation tests: each tests/ir/*.py carries FileCheck `# CHECK:`
//! lines; its IR (the cfunc stage, or after `# PIPELINE:` passes through
//! cfunc-opt) is checked with LLVM's FileCheck.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

const FILECHECK: &str = "/usr/lib/llvm-22/bin/FileCheck";

#[test]
fn ir_expectations() {
    let dir = common::root().join("tests/ir");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        let args = common::header_args(&src);
        let pipeline = src
            .lines()
            .find_map(|l| l.strip_prefix("# PIPELINE:"))
            .map(str::trim);
        let out = match pipeline {
            Some(p) => Command::new(env!("CARGO_BIN_EXE_cfunc-opt"))
                .arg(f)
                .args(&args)
                .arg(format!("--pass-pipeline={p}"))
                .output(),
            None => Command::new(env!("CARGO_BIN_EXE_cfuncc"))
                .arg("compile")
                .arg(f)
                .args(&args)
                .args(["--emit", "cfunc"])
                .output(),
        }
        .unwrap();
        if !out.status.success() {
            failures.push(format!(
                "{}: {}",
                f.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let mut fc = Command::new(FILECHECK)
            .arg(f)
            .arg("--comment-prefixes=COM")
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("FileCheck from llvm-22 (scripts/install-deps)");
        fc.stdin.take().unwrap().write_all(&out.stdout).unwrap();
        let r = fc.wait_with_output().unwrap();
        if !r.status.success() {
            failures.push(format!(
                "{}:\n{}",
                f.display(),
                String::from_utf8_lossy(&r.stderr)
            ));
        }
    }
    println!(
        "ir: {} passed, {} failed",
        files.len() - failures.len(),
        failures.len()
    );
    assert!(files.len() >= 8);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
