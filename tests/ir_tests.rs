//! The IR tests: every `.py` and `.mlir` file under tests/ir is one test,
//! run by LLVM 22's lit (`tests/ir/lit.cfg.py`) with the cargo-built
//! `cfuncc` and `cfunc-opt`. A test is made of lines in its comments (`//`
//! in MLIR, `#` in Python):
//!
//! * `RUN: COMMAND`: lit's ShTest, run by bash (`pipefail` on) from the
//!   crate root, with `%s` the file (relative to the crate root) and `%t` a
//!   scratch path; `cfuncc` and `cfunc-opt` are the binaries under test,
//!   `FileCheck` and `not` LLVM 22's. `... | FileCheck %s` checks the output
//!   against the file's `CHECK:` lines.
//! * `run: INPUTS -> OUTPUTS` (as in Cranelift's filetests): tick tests of
//!   the node compiled with the arguments of the `# cfuncc:` first line,
//!   checked against the compiled node and CPython by
//!   `tests/ir/tools/ticks.py`, which lit runs first for every file that has
//!   them.
//! * `BLESS: PREFIX [SCOPE]` marks PREFIX's checks (FileCheck's
//!   `--check-prefix`, CHECK by default) as generated from the output of the
//!   RUN line that pipes into that FileCheck: the whole output, or with a
//!   SCOPE only the op whose first line contains SCOPE, through its closing
//!   brace (one BLESS line per scope, in output order).
//!
//! `CFUNCC_BLESS=1 cargo test --test ir_tests` rewrites the expectations:
//! it drops the generated checks, runs lit with `-D bless=DIR` (FileCheck
//! replaced by `tests/ir/tools/capture.py`, which saves what it would have
//! checked; the `run:` outputs rewritten from CPython's), appends the checks
//! made from the saved outputs at the end of the file (so no line above them
//! moves), and runs lit again. Review the diff. `CFUNCC_IR_FILTER=text` runs
//! only the files whose path contains `text`.

mod common;

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

const LIT: &str = "/usr/lib/llvm-22/bin/lit";

fn blessing() -> bool {
    std::env::var("CFUNCC_BLESS").is_ok_and(|v| v == "1")
}

/// Every test file under `dir`, sorted (lit's suffixes; its `tools` folder
/// and its configuration are not tests).
fn test_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable tests/ir").flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "tools") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|e| e == "py" || e == "mlir")
                && p.file_name().is_some_and(|n| n != "lit.cfg.py")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The comment prefix of a test file's language.
fn comment(path: &Path) -> &'static str {
    if path.extension().is_some_and(|e| e == "py") {
        "#"
    } else {
        "//"
    }
}

/// The text after `<comment> KEYWORD:` on a line, if the line is one.
fn directive<'a>(line: &'a str, comment: &str, keyword: &str) -> Option<&'a str> {
    line.trim_start()
        .strip_prefix(comment)?
        .trim_start()
        .strip_prefix(keyword)?
        .strip_prefix(':')
        .map(str::trim)
}

/// A file's path relative to the crate root, as `%s` names it.
fn rel(file: &Path) -> String {
    file.strip_prefix(common::root())
        .unwrap_or(file)
        .display()
        .to_string()
}

/// Keeps a failure report readable.
fn clip(s: &str) -> String {
    const MAX: usize = 6000;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n... ({} more bytes)", &s[..end], s.len() - end)
}

// ---- Running lit ----

/// One test of lit's JSON report (`lit -o FILE`).
#[derive(Deserialize)]
struct LitTest {
    /// `cfuncc-ir :: opt/usage.mlir`
    name: String,
    /// PASS, FAIL, UNRESOLVED, ...
    code: String,
    #[serde(default)]
    output: String,
}

#[derive(Deserialize)]
struct LitReport {
    tests: Vec<LitTest>,
}

impl LitTest {
    /// The test file, relative to the crate root.
    fn file(&self) -> String {
        let path = self.name.split_once(" :: ").map_or(&*self.name, |(_, p)| p);
        format!("tests/ir/{path}")
    }
}

/// Runs lit on `paths` (files, or the folder) with its output in `out`
/// (`-D bless=DIR` with `bless`); every test's result. Fails, never skips,
/// when lit is missing.
fn lit(paths: &[PathBuf], out: &Path, bless: Option<&Path>) -> Vec<LitTest> {
    let report = out.join(if bless.is_some() {
        "bless.json"
    } else {
        "report.json"
    });
    let _ = std::fs::remove_file(&report);
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let mut cmd = Command::new(LIT);
    cmd.arg("-sv")
        .arg(format!("-j{jobs}"))
        .arg("-o")
        .arg(&report)
        .args(paths)
        .current_dir(common::root())
        .env("CFUNCC_BIN", env!("CARGO_BIN_EXE_cfuncc"))
        .env("CFUNC_OPT_BIN", env!("CARGO_BIN_EXE_cfunc-opt"))
        .env("CFUNCC_LIT_OUT", out);
    if let Some(dir) = bless {
        cmd.arg(format!("-Dbless={}", dir.display()));
    }
    let o = cmd.output().unwrap_or_else(|e| {
        panic!("{LIT}: {e}: lit comes with Debian's llvm-22-tools (scripts/install-deps)")
    });
    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| {
        panic!(
            "lit wrote no report ({e}; exit {:?}):\n{}\n{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let report: LitReport = serde_json::from_str(&text).expect("lit's JSON report");
    let failed = report.tests.iter().any(|t| t.code != "PASS");
    assert_eq!(
        o.status.success(),
        !failed,
        "lit's exit status disagrees with its report:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    report.tests
}

// ---- Generated checks (BLESS:) ----

/// One `BLESS: PREFIX [SCOPE]` line.
struct Bless {
    prefix: String,
    scope: Option<String>,
}

fn bless_lines(text: &str, comment: &str) -> Vec<Bless> {
    text.lines()
        .filter_map(|l| directive(l, comment, "BLESS"))
        .map(|d| {
            let (prefix, scope) = d.split_once(char::is_whitespace).unwrap_or((d, ""));
            Bless {
                prefix: prefix.to_string(),
                scope: Some(scope.trim().to_string()).filter(|s| !s.is_empty()),
            }
        })
        .collect()
}

/// Whether `line` is one of `prefix`'s check lines.
fn is_check_of(line: &str, comment: &str, prefix: &str) -> bool {
    let Some(rest) = line
        .trim_start()
        .strip_prefix(comment)
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix(prefix))
    else {
        return false;
    };
    let kind = rest.split(':').next().unwrap_or_default();
    rest.contains(':')
        && matches!(
            kind,
            "" | "-NEXT" | "-LABEL" | "-SAME" | "-EMPTY" | "-NOT" | "-DAG"
        )
}

/// Escapes FileCheck's `{{` (regex) and `[[` (variable) in literal text.
fn escape(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{{") {
            out.push_str("{{\\{\\{}}");
            rest = r;
        } else if let Some(r) = rest.strip_prefix("[[") {
            out.push_str("{{\\[\\[}}");
            rest = r;
        } else {
            let c = rest.chars().next().expect("non-empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Net `{` minus `}` on a line, outside string literals.
fn brace_depth(line: &str) -> i32 {
    let mut depth = 0;
    let mut in_str = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            '{' if !in_str => depth += 1,
            '}' if !in_str => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// The lines of the op whose first line contains `scope`, through the line
/// that closes its braces.
fn scope_of<'a>(output: &'a str, scope: &str) -> Option<Vec<&'a str>> {
    let lines: Vec<&str> = output.lines().collect();
    let start = lines.iter().position(|l| l.contains(scope))?;
    let mut depth = 0;
    let mut out = Vec::new();
    for l in &lines[start..] {
        out.push(*l);
        depth += brace_depth(l);
        if depth <= 0 {
            break;
        }
    }
    Some(out)
}

/// Check lines for `lines`: the first as a label (or a plain check for a
/// whole output), the rest as `-NEXT` (`-EMPTY` for an empty line).
fn checks_for(lines: &[&str], comment: &str, prefix: &str, label: bool) -> Vec<String> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let l = l.trim();
            match (i, l.is_empty()) {
                (0, _) if label => format!("{comment} {prefix}-LABEL: {}", escape(l)),
                (0, _) => format!("{comment} {prefix}: {}", escape(l)),
                (_, true) => format!("{comment} {prefix}-EMPTY:"),
                (_, false) => format!("{comment} {prefix}-NEXT: {}", escape(l)),
            }
        })
        .collect()
}

/// A file whose generated checks are being rewritten.
struct Blessed {
    file: PathBuf,
    blesses: Vec<Bless>,
}

/// The file's text without the check lines of its BLESS prefixes, nor the
/// blank lines that ended it.
fn without_generated(text: &str, comment: &str, blesses: &[Bless]) -> String {
    let mut kept: Vec<&str> = text
        .lines()
        .filter(|l| !blesses.iter().any(|b| is_check_of(l, comment, &b.prefix)))
        .collect();
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    kept.join("\n") + "\n"
}

/// Drops the generated checks of `file` (so the RUN lines see the file as
/// it will be: line numbers above the checks never move); None when the
/// file blesses nothing.
fn drop_generated(file: &Path) -> Result<Option<Blessed>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let blesses = bless_lines(&text, comment(file));
    if blesses.is_empty() {
        return Ok(None);
    }
    std::fs::write(file, without_generated(&text, comment(file), &blesses))
        .map_err(|e| e.to_string())?;
    Ok(Some(Blessed {
        file: file.to_path_buf(),
        blesses,
    }))
}

/// Where tests/ir/tools/capture.py saved the output checked with `prefix`
/// in `file`.
fn captured(dir: &Path, file: &Path, prefix: &str) -> PathBuf {
    dir.join(format!("{}.{prefix}", rel(file).replace('/', "%")))
}

/// Appends the checks generated from the captured outputs.
fn append_generated(b: &Blessed, dir: &Path) -> Result<(), String> {
    let comment = comment(&b.file);
    let mut generated = Vec::new();
    for bless in &b.blesses {
        let path = captured(dir, &b.file, &bless.prefix);
        let output = std::fs::read_to_string(&path).map_err(|_| {
            format!(
                "no RUN line piped an output into FileCheck with prefix {}",
                bless.prefix
            )
        })?;
        match &bless.scope {
            Some(scope) => {
                let lines = scope_of(&output, scope)
                    .ok_or_else(|| format!("no output line contains the scope {scope:?}"))?;
                generated.extend(checks_for(&lines, comment, &bless.prefix, true));
            }
            None => {
                let lines: Vec<&str> = output.lines().collect();
                generated.extend(checks_for(&lines, comment, &bless.prefix, false));
            }
        }
    }
    // Re-read: the bless run rewrote the `run:` outputs.
    let text = std::fs::read_to_string(&b.file).map_err(|e| e.to_string())?;
    let mut text = without_generated(&text, comment, &b.blesses);
    text.push('\n');
    text.push_str(&generated.join("\n"));
    text.push('\n');
    std::fs::write(&b.file, text).map_err(|e| e.to_string())
}

/// Rewrites the expectations of `files`: failures by file.
fn bless(files: &[PathBuf], out: &Path, paths: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut blessed = Vec::new();
    for f in files {
        match drop_generated(f) {
            Ok(b) => blessed.extend(b),
            Err(e) => failures.push(format!("--- {} (bless):\n{e}", rel(f))),
        }
    }
    let dir = out.join("bless");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bless capture folder");
    let results = lit(paths, out, Some(&dir));
    for b in &blessed {
        if let Err(e) = append_generated(b, &dir) {
            let lit_output = results
                .iter()
                .find(|t| t.file() == rel(&b.file))
                .map_or(String::new(), |t| t.output.clone());
            failures.push(format!(
                "--- {} (bless):\n{e}\nlit said:\n{}",
                rel(&b.file),
                clip(&lit_output)
            ));
        }
    }
    failures
}

#[test]
fn ir_files() {
    let root = common::root();
    let filter = std::env::var("CFUNCC_IR_FILTER").unwrap_or_default();
    let files: Vec<PathBuf> = test_files(&root.join("tests/ir"))
        .into_iter()
        .filter(|f| rel(f).contains(&filter))
        .collect();
    if files.is_empty() {
        println!("ir: no file matches {filter:?}");
        return;
    }
    // The whole folder goes to lit's own discovery; a filter names files.
    let paths = if filter.is_empty() {
        vec![root.join("tests/ir")]
    } else {
        files.clone()
    };
    let scratch = common::temp_dir("ir");
    let out = scratch.path();
    let mut failures = if blessing() {
        bless(&files, &out, &paths)
    } else {
        Vec::new()
    };
    let results = lit(&paths, &out, None);
    for t in &results {
        if t.code != "PASS" {
            failures.push(format!(
                "--- {} ({}):\n{}",
                t.file(),
                t.code,
                clip(&t.output)
            ));
        }
    }
    println!("ir: {} files, {} failed", results.len(), failures.len());
    assert_eq!(
        results.len(),
        files.len(),
        "lit ran {} tests of {} files",
        results.len(),
        files.len()
    );
    if filter.is_empty() {
        assert!(
            files.len() >= 40,
            "tests/ir holds only {} files",
            files.len()
        );
    }
    if !failures.is_empty() {
        // lit's scripts and scratch files outlive the failed test.
        let kept = scratch.keep();
        panic!(
            "\n{}\n(lit's output folder: {})",
            failures.join("\n"),
            kept.display()
        );
    }
}

#[test]
fn escaping_and_scopes() {
    assert_eq!(escape("a [[b]] {{c}}"), "a {{\\[\\[}}b]] {{\\{\\{}}c}}");
    let out = "module {\n  func.func @f() {\n    \"x\"() {a = \"}\"} : () -> ()\n  }\n  func.func @g() {\n  }\n}\n";
    assert_eq!(
        scope_of(out, "@f(").unwrap(),
        [
            "  func.func @f() {",
            "    \"x\"() {a = \"}\"} : () -> ()",
            "  }"
        ]
    );
    assert_eq!(scope_of(out, "@g(").unwrap().len(), 2);
    assert!(scope_of(out, "@h(").is_none());
    assert!(is_check_of("// CHECK-NEXT: x", "//", "CHECK"));
    assert!(is_check_of("# CHECK: x", "#", "CHECK"));
    assert!(!is_check_of("# CHECKS: x", "#", "CHECK"));
    assert!(!is_check_of("// RUN: FileCheck %s", "//", "CHECK"));
    let blesses = bless_lines("// BLESS: OPT @f(\n// BLESS: CHECK\n", "//");
    assert_eq!(blesses[0].prefix, "OPT");
    assert_eq!(blesses[0].scope.as_deref(), Some("@f("));
    assert_eq!(blesses[1].scope, None);
    assert_eq!(
        without_generated("x\n// OPT: a\n// CHECK: b\n\n", "//", &blesses[..1]),
        "x\n// CHECK: b\n"
    );
    assert_eq!(
        captured(
            Path::new("/d"),
            &common::root().join("tests/ir/a/b.py"),
            "OPT"
        ),
        Path::new("/d/tests%ir%a%b.py.OPT")
    );
}

/// The `irdl.operation` and `irdl.type` names of the dialect.
fn dialect_names(kind: &str) -> Vec<String> {
    let irdl = std::fs::read_to_string(common::root().join("dialect/cfunc.irdl.mlir"))
        .expect("dialect/cfunc.irdl.mlir");
    irdl.lines()
        .filter_map(|l| l.trim().strip_prefix(kind)?.strip_prefix(" @"))
        .map(|rest| {
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn every_op_and_type_is_documented_and_verified() {
    let root = common::root();
    let readme = std::fs::read_to_string(root.join("dialect/README.md")).expect("README");
    let verify = std::fs::read_to_string(root.join("tests/ir/verify/ops.mlir")).expect("ops.mlir");
    let ops = dialect_names("irdl.operation");
    let types = dialect_names("irdl.type");
    assert!(ops.len() > 40 && types.len() == 3, "{ops:?} {types:?}");
    let mut missing = Vec::new();
    for op in &ops {
        if !readme.contains(&format!("`cfunc.{op}`")) {
            missing.push(format!("dialect/README.md does not document cfunc.{op}"));
        }
        if !verify.contains(&format!("\n// {op}: ")) {
            missing.push(format!(
                "tests/ir/verify/ops.mlir has no case for cfunc.{op}"
            ));
        }
    }
    for ty in &types {
        if !readme.contains(&format!("`!cfunc.{ty}<")) {
            missing.push(format!("dialect/README.md does not document !cfunc.{ty}"));
        }
        if !verify.contains(&format!("\n// {ty}_type: ")) {
            missing.push(format!(
                "tests/ir/verify/ops.mlir has no case for !cfunc.{ty}"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_pass_has_a_banner_a_section_and_a_test() {
    let root = common::root();
    let doc = std::fs::read_to_string(root.join("docs/pipeline.md")).expect("pipeline.md");
    let banners: Vec<String> = std::fs::read_dir(root.join("src/passes"))
        .expect("src/passes")
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let mut missing = Vec::new();
    for p in cfuncc::passes::PASSES {
        if !banners
            .iter()
            .any(|b| b.starts_with(&format!("//! `{}`: ", p.name)))
        {
            missing.push(format!(
                "no src/passes file opens with a banner for {}",
                p.name
            ));
        }
        if !doc.contains(&format!("\n### `{}`\n", p.name)) {
            missing.push(format!("docs/pipeline.md has no section for {}", p.name));
        }
        let test = root
            .join("tests/ir/passes")
            .join(format!("{}.mlir", p.name.trim_start_matches("cfunc-")));
        let runs = std::fs::read_to_string(&test).unwrap_or_default();
        if !runs
            .lines()
            .any(|l| l.starts_with("// RUN:") && l.contains(p.name))
        {
            missing.push(format!("{} does not run {}", test.display(), p.name));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
