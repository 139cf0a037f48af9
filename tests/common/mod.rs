//! Helpers shared by the integration tests: compile a node with the
//! `cfuncc` binary, drive it with `cfuncc run`, compare JSON outputs.
#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary directory `NAME-XXXXXX` under cargo's target/tmp,
/// removed with everything in it when the value drops (`.keep()` for one
/// that lives as long as the process).
pub fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("{name}-"))
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("create temp dir")
}

/// Compiles `file` with `args` into `out`; Err(stderr) on failure.
pub fn compile(file: &Path, args: &[String], out: &Path) -> Result<(), String> {
    let o = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .arg("compile")
        .arg(file)
        .args(args)
        .arg("-o")
        .arg(out)
        .current_dir(root())
        .output()
        .expect("run cfuncc");
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// Runs `so` with tick lines on stdin and returns its stdout lines as JSON.
pub fn run(so: &Path, ticks: &str) -> Result<Vec<Value>, String> {
    run_with(&[so.as_os_str()], ticks)
}

/// Compiles `file` with `args` (`--function`, `--const`, ...) into the JIT
/// of `cfuncc run --jit` and replays the tick lines, as [`run`] does for a
/// `.so`.
pub fn run_jit(file: &Path, args: &[String], ticks: &str) -> Result<Vec<Value>, String> {
    let mut all = vec![std::ffi::OsStr::new("--jit"), file.as_os_str()];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    run_with(&all, ticks)
}

/// `cfuncc run ARGS...` with tick lines on stdin; its stdout lines as JSON.
fn run_with(args: &[&std::ffi::OsStr], ticks: &str) -> Result<Vec<Value>, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .arg("run")
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cfuncc run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(ticks.as_bytes())
        .expect("write ticks");
    let o = child.wait_with_output().expect("wait");
    if !o.status.success() {
        return Err(format!(
            "cfuncc run exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).map_err(|e| format!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// JSON values equal, with floats compared to a relative 1e-12 and NaN
/// equal to NaN (CPython and libm may differ in the last bit of a
/// transcendental function).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if x.is_i64() && y.is_i64() {
                return x.as_i64() == y.as_i64();
            }
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (Value::String(s), Value::String(t)) => s == t,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Splits a `# cfuncc: ...` header into arguments with shell quoting rules
/// (as oracle.py's shlex does), so `--const 't={1: 2.5}'` is one argument.
pub fn header_args(source: &str) -> Vec<String> {
    let Some(line) = source
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# cfuncc:"))
    else {
        return Vec::new();
    };
    let mut args = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                cur.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => cur.extend(chars.next()),
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    args.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        args.push(cur);
    }
    args
}

/// What the CPython oracle (tests/differential/oracle.py) prints for the
/// node `file` on `ticks` (tick lines), one JSON value per line.
pub fn oracle(file: &Path, ticks: &str) -> Result<Vec<Value>, String> {
    let mut child = Command::new("python3")
        .arg(root().join("tests/differential/oracle.py"))
        .arg(file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(ticks.as_bytes())
        .map_err(|e| e.to_string())?;
    let o = child.wait_with_output().map_err(|e| e.to_string())?;
    if !o.status.success() {
        return Err(format!("oracle: {}", String::from_utf8_lossy(&o.stderr)));
    }
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).map_err(|e| format!("oracle line {l:?}: {e}")))
        .collect()
}

/// A constant from a conformance case (JSON) as a Python literal for
/// `--const`.
pub fn python_literal(v: &Value) -> String {
    match v {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Array(xs) => format!(
            "[{}]",
            xs.iter().map(python_literal).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(kv) => format!(
            "{{{}}}",
            kv.iter()
                .map(|(k, v)| format!("{k}: {}", python_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// One node of the test suites: its source file, `cfuncc compile`
/// arguments and tick lines (the `cfuncc run` input).
pub struct SuiteNode {
    pub name: String,
    pub file: PathBuf,
    pub args: Vec<String>,
    pub ticks: String,
    /// The measured outputs of a conformance case, one per tick line.
    pub expected: Option<Vec<Value>>,
}

/// Every case of ../shared/conformance/*.json (measured on the seed 0.3.1)
/// and of tests/conformance/*.json (the same format, cases from the seed's
/// current upstream tests with CPython's outputs), its source written to
/// `tmp`. A case of tests/conformance may also have `function` (the node,
/// where helpers come first; else the first `def`), `types` (a `--types`
/// document, written to `tmp`) and `options` (flags such as
/// `--datetime-as-int`), as tests/conformance/expect.py reads them.
pub fn conformance_nodes(tmp: &Path) -> Vec<SuiteNode> {
    let mut files = Vec::new();
    for dir in [
        root().join("..").join("shared").join("conformance"),
        root().join("tests").join("conformance"),
    ] {
        let mut found: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        found.retain(|p| p.extension().is_some_and(|e| e == "json"));
        found.sort();
        files.extend(found);
    }
    let mut nodes = Vec::new();
    for file in files {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in cases {
            let name = case["name"].as_str().unwrap().to_string();
            let source = case["source"].as_str().unwrap();
            let function = match case.get("function") {
                Some(f) => f.as_str().unwrap().to_string(),
                None => source
                    .split("def ")
                    .nth(1)
                    .and_then(|s| s.split('(').next())
                    .unwrap()
                    .trim()
                    .to_string(),
            };
            let py = tmp.join(format!("{name}.py"));
            std::fs::write(&py, source).unwrap();
            let mut args = vec!["--function".to_string(), function];
            for (k, v) in case["constants"].as_object().unwrap() {
                args.push("--const".into());
                args.push(format!("{k}={}", python_literal(v)));
            }
            if let Some(types) = case.get("types") {
                let path = tmp.join(format!("{name}.types.json"));
                std::fs::write(&path, types.to_string()).unwrap();
                args.push("--types".into());
                args.push(path.display().to_string());
            }
            for option in case
                .get("options")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                args.push(option.as_str().unwrap().to_string());
            }
            let ticks = case["ticks"].as_array().unwrap();
            let stdin: String = ticks
                .iter()
                .map(|t| {
                    let mut line = t.clone();
                    line.as_object_mut().unwrap().remove("expected");
                    line.to_string() + "\n"
                })
                .collect();
            let expected = ticks
                .iter()
                .filter(|t| t.get("phase").is_none())
                .map(|t| serde_json::json!({"outputs": t["expected"]}))
                .collect();
            nodes.push(SuiteNode {
                name,
                file: py,
                args,
                ticks: stdin,
                expected: Some(expected),
            });
        }
    }
    nodes
}

/// The differential nodes in `dir` (`NAME.py` with its `# cfuncc:` header
/// and `NAME.ticks.jsonl`), sorted by name.
pub fn differential_nodes(dir: &Path) -> Vec<SuiteNode> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let source = std::fs::read_to_string(&file).unwrap();
            let ticks = std::fs::read_to_string(file.with_extension("ticks.jsonl"))
                .unwrap_or_else(|e| panic!("{}: ticks: {e}", file.display()));
            SuiteNode {
                name: file.file_stem().unwrap().to_string_lossy().to_string(),
                args: header_args(&source),
                file,
                ticks,
                expected: None,
            }
        })
        .collect()
}

/// Writes the generated differential nodes (tests/differential/generate.py,
/// the differential test's seed and counts) into `out`.
pub fn generate_nodes(out: &Path) -> Vec<SuiteNode> {
    let status = Command::new("python3")
        .arg(root().join("tests/differential/generate.py"))
        .args([
            "--seed",
            "2026",
            "--count",
            "30",
            "--containers",
            "20",
            "--out",
        ])
        .arg(out)
        .status()
        .expect("python3 generate.py");
    assert!(status.success());
    differential_nodes(out)
}

/// Builds the C host `tests/<rel>` (C11, warnings as errors, with debug
/// information for valgrind's reports) into a fresh directory named `tag`.
pub fn c_host(rel: &str, tag: &str) -> PathBuf {
    // Built once per test process and used by every test of it: kept.
    let exe = temp_dir(tag).keep().join("host");
    let out = Command::new("cc")
        .args(["-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror"])
        .arg(root().join("tests").join(rel))
        .arg("-o")
        .arg(&exe)
        .arg("-ldl")
        .output()
        .expect("cc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

/// Runs `python3 scripts/NAME ARGS...` in the checkout. A missing python3
/// fails the test.
pub fn script(name: &str, args: &[&str]) -> std::process::Output {
    Command::new("python3")
        .arg(root().join("scripts").join(name))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("python3 is not installed: {e}"))
}

/// The rows of a table a script printed (`scripts/bench-compile-process`,
/// `scripts/llvm-floor`): the script succeeded, `#` lines are dropped,
/// the header starts with `row`, and every row starts with one of `names`,
/// all of them in order. Each row: its name and its cells.
pub fn table_rows<'n>(o: &std::process::Output, names: &[&'n str]) -> Vec<(&'n str, Vec<String>)> {
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "exit {:?}\n{out}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut lines = out.lines().filter(|l| !l.starts_with('#'));
    let header = lines.next().expect("a header");
    assert!(header.starts_with("row"), "{out}");
    let rows: Vec<(&str, Vec<String>)> = lines
        .map(|l| {
            let name = names
                .iter()
                .find(|r| l.starts_with(*r))
                .unwrap_or_else(|| panic!("an unknown row `{l}`\n{out}"));
            let cells = l[name.len()..]
                .split_whitespace()
                .map(String::from)
                .collect();
            (*name, cells)
        })
        .collect();
    let found: Vec<&str> = rows.iter().map(|r| r.0).collect();
    assert_eq!(found, names, "{out}");
    rows
}
