//! Diagnostics: every `tests/diagnostics/NAME.py` is a bad input whose first
//! line is `# cfuncc: --function NAME [--const k=v ...]`, the arguments for
//! `cfuncc compile`. The compiler must exit with code 1 and print exactly
//! `NAME.snap` on stderr: `FILE:LINE:COL: error: MESSAGE`, the source
//! line and a caret; for a body with several independent errors, each of
//! them so, then `N errors` (names bound by a failed statement are not
//! reported again where they are read).
//!
//! A case named `types_*` checks a bad `--types` file instead (its header
//! names `tests/diagnostics/types_*.json`): that is bad usage, so the
//! compiler must exit with code 2 and print one line, `cfuncc: error:
//! --types FILE: MESSAGE` (the file is JSON: the message names the struct,
//! field or enum), exactly `NAME.snap`.
//!
//! The expected stderr of each case is an `insta` snapshot beside it,
//! `NAME.snap`. Adding a case is adding a `.py` file and running
//! `CFUNCC_BLESS=1 cargo test --test diagnostics` (or `cargo insta test
//! --accept`), which writes each `.snap` from the compiler's actual output;
//! review the diff. Without it, a changed output fails the test and leaves
//! `NAME.snap.new` for `cargo insta review`.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

const DIR: &str = "tests/diagnostics";
const HEADER: &str = "# cfuncc: ";

fn blessing() -> bool {
    std::env::var("CFUNCC_BLESS").is_ok_and(|v| v == "1")
}

/// insta's settings for the cases: snapshots beside the `.py` files, named
/// after the case alone, headed by the case's path.
fn snapshot_settings(root: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root.join(DIR));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// The cases, sorted by name.
fn cases(root: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(root.join(DIR))
        .expect("tests/diagnostics exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    cases.sort();
    cases
}

/// Checks that `stderr` is located errors, each with its code frame: one
/// error in three lines, or several, each in three lines, then `N errors`.
fn check_shape(name: &str, stderr: &str) -> Result<(), String> {
    let lines: Vec<&str> = stderr.lines().collect();
    if lines.len() == 3 {
        return check_error(name, &lines);
    }
    let n = lines.len() / 3;
    if lines.len() % 3 != 1 || n < 2 || lines.last() != Some(&format!("{n} errors").as_str()) {
        return Err(format!(
            "expected 3 lines (message, source line, caret), or 3 per error and `N errors`, got {}",
            lines.len()
        ));
    }
    for error in lines[..3 * n].chunks(3) {
        check_error(name, error)?;
    }
    Ok(())
}

/// Checks the one line of a bad `--types` file's usage error.
fn check_types_shape(name: &str, stderr: &str) -> Result<(), String> {
    let prefix = format!("cfuncc: error: --types {DIR}/{name}.json: ");
    match stderr.lines().collect::<Vec<_>>()[..] {
        [line] if line.starts_with(&prefix) && line.len() > prefix.len() => Ok(()),
        _ => Err(format!(
            "expected one line `{prefix}MESSAGE`, got {stderr:?}"
        )),
    }
}

/// Checks one located error: message, source line, caret.
fn check_error(name: &str, lines: &[&str]) -> Result<(), String> {
    let prefix = format!("{DIR}/{name}.py:");
    let first = lines.first().copied().unwrap_or_default();
    let located = first.strip_prefix(&prefix).and_then(|rest| {
        let (line, rest) = rest.split_once(':')?;
        let (col, rest) = rest.split_once(':')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (digits(line) && digits(col) && rest.starts_with(" error: ") && rest.len() > 8)
            .then(|| col.parse::<usize>().ok())
            .flatten()
    });
    let Some(col) = located else {
        return Err(format!(
            "first line is not `{prefix}LINE:COL: error: MESSAGE`: {first:?}"
        ));
    };
    let caret = lines[2];
    if !caret.ends_with('^') || caret.trim_start() != "^" || caret.chars().count() != col {
        return Err(format!(
            "caret line {caret:?} does not point at column {col}"
        ));
    }
    Ok(())
}

/// Runs one case; returns a description of every way it fails.
fn run_case(root: &Path, out_dir: &Path, py: &Path) -> Result<(), String> {
    let name = py.file_stem().unwrap().to_string_lossy().into_owned();
    let source = fs::read_to_string(py).map_err(|e| format!("cannot read: {e}"))?;
    let header = source.lines().next().unwrap_or_default();
    let Some(args) = header.strip_prefix(HEADER) else {
        return Err(format!("first line must start with {HEADER:?}"));
    };
    let output = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .current_dir(root)
        .arg("compile")
        .arg(format!("{DIR}/{name}.py"))
        .args(args.split_whitespace())
        .arg("-o")
        .arg(out_dir.join(format!("{name}.so")))
        .output()
        .map_err(|e| format!("cannot run cfuncc: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let mut problems = Vec::new();
    let types_case = name.starts_with("types_");
    let want = if types_case { 2 } else { 1 };
    match output.status.code() {
        Some(c) if c == want => {}
        Some(c) => problems.push(format!("exit code {c}, expected {want}")),
        None => problems.push(format!("killed by a signal ({:?})", output.status)),
    }
    let shape = if types_case {
        check_types_shape(&name, &stderr)
    } else {
        check_shape(&name, &stderr)
    };
    if let Err(e) = shape {
        problems.push(e);
    }
    let mut settings = snapshot_settings(root);
    settings.set_input_file(py);
    let compared = catch_unwind(AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name.as_str(), &stderr));
    }));
    if compared.is_err() {
        problems.push(format!(
            "stderr differs from {name}.snap (diff above; bless with CFUNCC_BLESS=1)"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n--- stderr\n{stderr}", problems.join("\n")))
    }
}

#[test]
fn diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if blessing() {
        // Before insta's first assertion, which reads its configuration.
        std::env::set_var("INSTA_UPDATE", "always");
        std::env::set_var("INSTA_FORCE_PASS", "1");
    }
    let scratch = common::temp_dir("diagnostics");
    let out_dir = scratch.path();
    let cases = cases(root);
    assert!(!cases.is_empty(), "no cases in {DIR}");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|py| {
            run_case(root, &out_dir, py)
                .err()
                .map(|e| format!("== {}\n{e}", py.display()))
        })
        .collect();
    // A snapshot without its .py is a leftover from a renamed case.
    let orphans: Vec<String> = fs::read_dir(root.join(DIR))
        .expect("tests/diagnostics exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "snap"))
        .filter(|p| !p.with_extension("py").exists())
        .map(|p| format!("== {}\nno matching .py", p.display()))
        .collect();
    let _ = fs::remove_dir_all(&out_dir);
    let all: Vec<String> = failures.into_iter().chain(orphans).collect();
    assert!(
        all.is_empty(),
        "{} of {} diagnostics cases failed:\n\n{}",
        all.len(),
        cases.len(),
        all.join("\n\n")
    );
}
