//! Data-driven IR tests: every `.py` and `.mlir` file under tests/ir/ is one
//! test, made of lines in its comments (`//` in MLIR, `#` in Python):
//!
//! * `RUN: COMMAND` runs COMMAND with bash (`pipefail` on) from the crate
//!   root, with `%s` the file and `%t` a scratch path for it; `cfunc-opt`,
//!   `cfuncc`, `FileCheck` and `not` (LLVM 22's) are on `PATH`. A line ending
//!   in `\` continues on the next one. A RUN line fails the test when it
//!   exits non-zero, so `... | FileCheck %s` checks the output against the
//!   file's `CHECK:` lines.
//! * `run: INPUTS -> OUTPUTS` (Python files, as in Cranelift's filetests)
//!   compiles the node with the arguments of the `# cfuncc:` first line and
//!   runs one tick per line through `cfuncc run`: INPUTS is the inputs array
//!   (or a whole tick object), OUTPUTS what the tick must give: the outputs
//!   (null = not ticked) or `{"error": {"code": C, "line": L}}`. A phase
//!   line (`{"phase": "stop"}`) has no arrow. CPython runs the same ticks
//!   (tests/differential/oracle.py) and must agree with OUTPUTS too.
//! * `BLESS: PREFIX [SCOPE]` marks PREFIX's checks (FileCheck's
//!   `--check-prefix`, CHECK by default) as generated from the output of the
//!   RUN line that pipes into that FileCheck: the whole output, or with a
//!   SCOPE only the op whose first line contains SCOPE, through its closing
//!   brace (one BLESS line per scope, in output order).
//!
//! `CFUNCC_BLESS=1 cargo test --test ir_tests` rewrites the expectations:
//! the generated checks (appended at the end of the file, so no line above
//! them moves) and the OUTPUTS of every `run:` line, from CPython. Review
//! the diff. `CFUNCC_IR_FILTER=text` runs only the files whose path
//! contains `text`.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const LLVM_BIN: &str = "/usr/lib/llvm-22/bin";

fn blessing() -> bool {
    std::env::var("CFUNCC_BLESS").is_ok_and(|v| v == "1")
}

/// Every test file under `dir`, sorted.
fn test_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable tests/ir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "py" || e == "mlir") {
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

/// The RUN commands of a file, continuation lines joined.
fn run_lines(text: &str, comment: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    for line in text.lines() {
        let Some(cmd) = directive(line, comment, "RUN") else {
            continue;
        };
        let mut cur = pending.take().unwrap_or_default();
        match cmd.strip_suffix('\\') {
            Some(head) => {
                cur.push_str(head);
                cur.push(' ');
                pending = Some(cur);
            }
            None => {
                cur.push_str(cmd);
                out.push(cur);
            }
        }
    }
    out.extend(pending);
    out
}

struct Env {
    root: PathBuf,
    tmp: PathBuf,
    path: String,
}

impl Env {
    fn new() -> Self {
        let root = common::root();
        let bin = Path::new(env!("CARGO_BIN_EXE_cfunc-opt"))
            .parent()
            .expect("target dir")
            .to_path_buf();
        let path = format!(
            "{}:{LLVM_BIN}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Env {
            tmp: common::temp_dir("ir"),
            root,
            path,
        }
    }

    /// The file's path relative to the crate root, as RUN lines see it.
    fn rel(&self, file: &Path) -> String {
        file.strip_prefix(&self.root)
            .unwrap_or(file)
            .display()
            .to_string()
    }

    /// Runs a RUN command; returns (success, stdout, stderr).
    fn shell(&self, file: &Path, cmd: &str) -> (bool, String, String) {
        let rel = self.rel(file);
        let scratch = self.tmp.join(rel.replace('/', "_")).with_extension("tmp");
        let cmd = cmd
            .replace("%s", &rel)
            .replace("%t", &scratch.display().to_string());
        let o = Command::new("bash")
            .args(["-o", "pipefail", "-c", &cmd])
            .current_dir(&self.root)
            .env("PATH", &self.path)
            .output()
            .expect("bash");
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }
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

/// The prefix a `FileCheck` invocation in `cmd` checks, if it has one.
fn filecheck_prefix(cmd: &str) -> Option<String> {
    let fc = cmd
        .split('|')
        .map(str::trim)
        .find(|s| s.starts_with("FileCheck"))?;
    let words: Vec<&str> = fc.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if let Some(p) = w.strip_prefix("--check-prefix=") {
            return Some(p.to_string());
        }
        if *w == "--check-prefix" {
            return words.get(i + 1).map(|s| s.to_string());
        }
    }
    Some("CHECK".into())
}

/// `cmd` without its last `| FileCheck ...` stage.
fn producer(cmd: &str) -> &str {
    match cmd.rfind('|') {
        Some(i) if cmd[i + 1..].trim_start().starts_with("FileCheck") => cmd[..i].trim_end(),
        _ => cmd,
    }
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

/// Regenerates the checks of every BLESS prefix of `file`.
fn bless_checks(env: &Env, file: &Path) -> Result<(), String> {
    let comment = comment(file);
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let blesses = bless_lines(&text, comment);
    if blesses.is_empty() {
        return Ok(());
    }
    // Drop the old checks first and write the file, so the commands see
    // the file as it will be (line numbers above the checks never move).
    let mut kept: Vec<&str> = text
        .lines()
        .filter(|l| !blesses.iter().any(|b| is_check_of(l, comment, &b.prefix)))
        .collect();
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    let mut new_text = kept.join("\n") + "\n";
    std::fs::write(file, &new_text).map_err(|e| e.to_string())?;
    let runs = run_lines(&new_text, comment);
    let mut generated = Vec::new();
    let mut outputs: Vec<(String, String)> = Vec::new();
    for b in &blesses {
        let cmd = runs
            .iter()
            .find(|c| filecheck_prefix(c).as_deref() == Some(b.prefix.as_str()))
            .ok_or_else(|| format!("no RUN line pipes into FileCheck with prefix {}", b.prefix))?;
        let output = match outputs.iter().find(|(p, _)| p == &b.prefix) {
            Some((_, o)) => o.clone(),
            None => {
                let (ok, out, err) = env.shell(file, producer(cmd));
                if !ok {
                    return Err(format!("`{}` failed:\n{}", producer(cmd), clip(&err)));
                }
                outputs.push((b.prefix.clone(), out.clone()));
                out
            }
        };
        match &b.scope {
            Some(scope) => {
                let lines = scope_of(&output, scope)
                    .ok_or_else(|| format!("no output line contains the scope {scope:?}"))?;
                generated.extend(checks_for(&lines, comment, &b.prefix, true));
            }
            None => {
                let lines: Vec<&str> = output.lines().collect();
                generated.extend(checks_for(&lines, comment, &b.prefix, false));
            }
        }
    }
    new_text.push('\n');
    new_text.push_str(&generated.join("\n"));
    new_text.push('\n');
    std::fs::write(file, new_text).map_err(|e| e.to_string())
}

// ---- Execution lines (run:) ----

/// One `run:` line: the tick line for `cfuncc run`, and what it expects
/// (`None` for a phase line).
struct RunLine {
    line_index: usize,
    tick: String,
    expected: Option<Value>,
}

fn parse_run_lines(text: &str, comment: &str) -> Result<Vec<RunLine>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(body) = directive(line, comment, "run") else {
            continue;
        };
        let (input, expected) = match body.split_once("->") {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (body, None),
        };
        let input: Value = serde_json::from_str(input)
            .map_err(|e| format!("line {}: bad inputs {input:?}: {e}", i + 1))?;
        let tick = match &input {
            Value::Array(_) => serde_json::json!({ "inputs": input }),
            Value::Object(_) => input.clone(),
            _ => {
                return Err(format!(
                    "line {}: inputs must be an array or a tick object",
                    i + 1
                ))
            }
        };
        let is_phase = tick.get("phase").is_some();
        let expected = match expected {
            // An arrow with nothing after it is filled in by bless.
            Some("") => Some(Value::Null),
            Some(e) => Some(
                serde_json::from_str(e)
                    .map_err(|err| format!("line {}: bad outputs {e:?}: {err}", i + 1))?,
            ),
            None if is_phase => None,
            None => return Err(format!("line {}: a tick needs `-> OUTPUTS`", i + 1)),
        };
        out.push(RunLine {
            line_index: i,
            tick: tick.to_string(),
            expected,
        });
    }
    Ok(out)
}

/// What a tick's result line says, in the `run:` form: the outputs, or the
/// error's code and line.
fn result_form(v: &Value) -> Value {
    match v.get("error") {
        Some(e) => serde_json::json!({"error": {"code": e["code"], "line": e["line"]}}),
        None => v.get("outputs").cloned().unwrap_or_else(|| v.clone()),
    }
}

/// JSON as Python prints it (`[1, 2.5]`, `{"a": null}`): easier to read in
/// a test than serde's compact form.
fn py_json(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("[{}]", a.iter().map(py_json).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), py_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// Whether a tick's result matches the `run:` line's expectation.
fn matches(expected: &Value, got: &Value) -> bool {
    match (expected.get("error"), got.get("error")) {
        (Some(e), Some(g)) => e["code"] == g["code"] && e["line"] == g["line"],
        (None, None) => common::same(expected, &result_form(got)),
        _ => false,
    }
}

/// Compiles and runs the node of `file` on its `run:` lines; with `bless`
/// the outputs are rewritten from CPython's.
fn check_runs(env: &Env, file: &Path, bless: bool) -> Result<(), String> {
    let comment = comment(file);
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let runs = parse_run_lines(&text, comment)?;
    if runs.is_empty() {
        return Ok(());
    }
    let ticks: String = runs.iter().map(|r| r.tick.clone() + "\n").collect();
    let expecting: Vec<&RunLine> = runs.iter().filter(|r| r.expected.is_some()).collect();
    let cpython = common::oracle(file, &ticks)?;
    if cpython.len() != expecting.len() {
        return Err(format!(
            "CPython gave {} results for {} ticks",
            cpython.len(),
            expecting.len()
        ));
    }
    if let Some((r, bad)) = expecting
        .iter()
        .zip(&cpython)
        .find(|(_, v)| v.get("oracle_error").is_some())
    {
        return Err(format!(
            "line {}: CPython cannot check this tick: {bad}",
            r.line_index + 1
        ));
    }
    if bless {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (r, v) in expecting.iter().zip(&cpython) {
            let line = &lines[r.line_index];
            let head = line.split_once("->").map_or(line.as_str(), |(h, _)| h);
            lines[r.line_index] = format!("{} -> {}", head.trim_end(), py_json(&result_form(v)));
        }
        std::fs::write(file, lines.join("\n") + "\n").map_err(|e| e.to_string())?;
        return check_runs(env, file, false);
    }
    let so = env
        .tmp
        .join(env.rel(file).replace('/', "_"))
        .with_extension("so");
    common::compile(file, &common::header_args(&text), &so)?;
    let got = common::run(&so, &ticks)?;
    if got.len() != expecting.len() {
        return Err(format!(
            "cfuncc run gave {} results for {} ticks",
            got.len(),
            expecting.len()
        ));
    }
    let mut failures = Vec::new();
    for ((r, g), c) in expecting.iter().zip(&got).zip(&cpython) {
        let e = r.expected.as_ref().expect("filtered");
        if !matches(e, g) {
            failures.push(format!(
                "line {}: expected {} but the compiled node gave {g}",
                r.line_index + 1,
                py_json(e)
            ));
        }
        if !matches(e, c) {
            failures.push(format!(
                "line {}: expected {} but CPython gave {c} (bless again?)",
                r.line_index + 1,
                py_json(e)
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Runs one test file; every way it fails.
fn run_file(env: &Env, file: &Path) -> Result<(), String> {
    let bless = blessing();
    if bless {
        bless_checks(env, file)?;
    }
    let comment = comment(file);
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let runs = run_lines(&text, comment);
    let has_ticks = text.lines().any(|l| directive(l, comment, "run").is_some());
    if runs.is_empty() && !has_ticks {
        return Err("no RUN: or run: lines, so the file tests nothing".into());
    }
    let mut failures = Vec::new();
    for cmd in &runs {
        let (ok, _, err) = env.shell(file, cmd);
        if !ok {
            failures.push(format!("RUN: {cmd}\n{}", clip(&err)));
        }
    }
    if let Err(e) = check_runs(env, file, bless) {
        failures.push(format!("run: lines:\n{e}"));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

#[test]
fn ir_files() {
    let env = Env::new();
    let filter = std::env::var("CFUNCC_IR_FILTER").unwrap_or_default();
    let files: Vec<PathBuf> = test_files(&env.root.join("tests/ir"))
        .into_iter()
        .filter(|f| env.rel(f).contains(&filter))
        .collect();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(f) = files.get(i) else { break };
                if let Err(e) = run_file(&env, f) {
                    failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(format!("--- {}:\n{e}", env.rel(f)));
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    failures.sort();
    println!("ir: {} files, {} failed", files.len(), failures.len());
    if filter.is_empty() {
        assert!(
            files.len() >= 40,
            "tests/ir holds only {} files",
            files.len()
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
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
    assert_eq!(
        filecheck_prefix("cfunc-opt %s | FileCheck %s --check-prefix=OPT").as_deref(),
        Some("OPT")
    );
    assert_eq!(producer("a %s | b | FileCheck %s"), "a %s | b");
    assert_eq!(
        py_json(&serde_json::json!({"a": [1, 2.5, null]})),
        "{\"a\": [1, 2.5, null]}"
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
    assert!(ops.len() > 40 && types.len() == 2, "{ops:?} {types:?}");
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
