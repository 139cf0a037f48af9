//! Runs the IR tests of `tests/ir` (lit and FileCheck, LLVM 22's) with the
//! cargo-built `research-opt`. A missing lit fails the test.

use std::path::Path;
use std::process::Command;

const LIT: &str = "/usr/lib/llvm-22/bin/lit";

#[test]
fn ir_files() {
    assert!(
        Path::new(LIT).exists(),
        "{LIT} is missing: install llvm-22-tools (scripts/install-deps)"
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ir");
    let out = Command::new(LIT)
        .args(["-sv", "--order=lexical"])
        .arg(&dir)
        .env("RESEARCH_OPT_BIN", env!("CARGO_BIN_EXE_research-opt"))
        .env("RESEARCH_LIT_OUT", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("run lit");
    assert!(
        out.status.success(),
        "lit failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
