//! `-g`: DWARF line tables that point at the `.py` (checked with
//! `llvm-dwarfdump-22 --debug-line`), the same code and semantic key as
//! without, and the JIT's perf map (`CFUNCC_PERF_MAP=1`).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

mod common;

const DWARFDUMP: &str = "llvm-dwarfdump-22";

/// Every statement line (2..=14) is executable.
const NODE: &str = "def rolling_var(x: Signal[float]) -> Signal[float]:
    w: State[NumbaList] = create_new_list(float)
    w.append(x)
    if len(w) > 16:
        w.pop(0)
    n = len(w)
    m = 0.0
    for v in w:
        m += v
    m = m / n
    s = 0.0
    for v in w:
        s += (v - m) * (v - m)
    return s / n
";

/// The file names and the rows' lines of a line table.
fn line_table(so: &Path) -> (Vec<String>, BTreeSet<u32>) {
    let out = Command::new(DWARFDUMP)
        .arg("--debug-line")
        .arg(so)
        .output()
        .unwrap_or_else(|e| panic!("{DWARFDUMP}: {e}; install llvm-22 (scripts/install-deps)"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let files = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("name: "))
        .map(|n| n.trim_matches('"').to_string())
        .collect();
    let lines = text
        .lines()
        .filter(|l| l.starts_with("0x"))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse().ok())
        .collect();
    (files, lines)
}

fn compile(file: &Path, extra: &[&str], out: &Path) {
    let mut args = vec!["--function".to_string(), "rolling_var".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    common::compile(file, &args, out).unwrap();
}

fn manifest(so: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(so.with_extension("json")).unwrap()).unwrap()
}

#[test]
fn line_tables_name_the_python_lines() {
    let scratch = common::temp_dir("debug_info");
    let file = scratch.path().join("node.py");
    std::fs::write(&file, NODE).unwrap();

    // -O0: every executable line of the node.
    let o0 = scratch.path().join("o0.so");
    compile(&file, &["-g", "--opt-level", "0"], &o0);
    let (files, lines) = line_table(&o0);
    assert_eq!(files, ["node.py"], "only the node's file: {files:?}");
    for line in 2..=14 {
        assert!(lines.contains(&line), "line {line} missing: {lines:?}");
    }
    assert!(lines.iter().all(|&l| l <= 14), "{lines:?}");

    // -O2: what LLVM keeps still names the .py, at its lines.
    let o2 = scratch.path().join("o2.so");
    compile(&file, &["-g"], &o2);
    let (files, lines) = line_table(&o2);
    assert_eq!(files, ["node.py"]);
    let real: Vec<u32> = lines.iter().copied().filter(|&l| l > 0).collect();
    assert!(real.len() >= 5, "{lines:?}");
    assert!(real.iter().all(|&l| (2..=14).contains(&l)), "{lines:?}");

    // Without -g: no line table.
    let plain = scratch.path().join("plain.so");
    compile(&file, &[], &plain);
    assert!(line_table(&plain).1.is_empty());

    // The same node: key, outputs.
    assert_eq!(
        manifest(&o2)["semantic_key"],
        manifest(&plain)["semantic_key"]
    );
    let ticks = "{\"inputs\": [1.0]}\n{\"inputs\": [4.0]}\n{\"inputs\": [-2.5]}\n";
    assert_eq!(
        common::run(&o2, ticks).unwrap(),
        common::run(&plain, ticks).unwrap()
    );
    assert_eq!(
        common::run(&o0, ticks).unwrap(),
        common::run(&plain, ticks).unwrap()
    );
}

/// The machine code is the same with -g, at every level: the objects'
/// `.text` sections hold the same bytes.
#[test]
fn debug_info_does_not_change_the_code() {
    use object::{Object, ObjectSection};
    let scratch = common::temp_dir("debug_info_code");
    let file = scratch.path().join("node.py");
    std::fs::write(&file, NODE).unwrap();
    let text = |extra: &[&str], name: &str| {
        let out = scratch.path().join(name);
        let mut args = vec!["--function", "rolling_var", "--emit", "obj"];
        args.extend(extra);
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        common::compile(&file, &args, &out).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        let obj = object::File::parse(&*bytes).unwrap();
        let has_debug = obj.section_by_name(".debug_line").is_some();
        let text = obj
            .section_by_name(".text")
            .unwrap()
            .data()
            .unwrap()
            .to_vec();
        (text, has_debug)
    };
    for level in ["0", "2", "3"] {
        let (plain, d0) = text(&["--opt-level", level], &format!("p{level}.o"));
        let (debug, d1) = text(&["--opt-level", level, "-g"], &format!("g{level}.o"));
        assert!(!d0 && d1);
        assert_eq!(plain, debug, "--opt-level {level}: -g changed the code");
    }
}

/// `cfuncc run --jit -g` runs the same node; with `CFUNCC_PERF_MAP=1` the
/// process's perf map names the node's functions at their addresses.
#[test]
fn jit_perf_map_names_the_node() {
    let scratch = common::temp_dir("perf_map");
    let file = scratch.path().join("node.py");
    std::fs::write(&file, NODE).unwrap();
    let so = scratch.path().join("node.so");
    compile(&file, &[], &so);
    let native = manifest(&so)["native_name"].as_str().unwrap().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .args(["run", "--jit", "-g"])
        .arg(&file)
        .args(["--function", "rolling_var"])
        .env("CFUNCC_PERF_MAP", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let map = format!("/tmp/perf-{}.map", child.id());
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        b"{\"inputs\": [1.0]}\n{\"inputs\": [3.0]}\n",
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = std::fs::read_to_string(&map).unwrap_or_default();
    let _ = std::fs::remove_file(&map);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"outputs\":[0.0]}\n{\"outputs\":[1.0]}\n"
    );
    let node = text
        .lines()
        .find(|l| l.ends_with(&format!(" {native}")))
        .unwrap_or_else(|| panic!("{native} not in {map}:\n{text}"));
    let fields: Vec<&str> = node.split(' ').collect();
    let start = u64::from_str_radix(fields[0], 16).unwrap();
    let size = u64::from_str_radix(fields[1], 16).unwrap();
    assert!(start > 0x1000 && size > 16, "{node}");
}

/// gdb, on a process that loads the `.so` (`cfuncc run`) and on one that
/// compiles the node into its JIT (`cfuncc run --jit -g`, through GDB's JIT
/// interface), breaks at `node.py:3` and steps to line 4.
#[test]
fn gdb_breaks_at_python_lines() {
    let scratch = common::temp_dir("gdb");
    let dir = scratch.path();
    std::fs::copy(common::root().join("examples/ema.py"), dir.join("node.py")).unwrap();
    std::fs::write(dir.join("ticks.jsonl"), "{\"inputs\": [4.0]}\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .args([
            "compile",
            "node.py",
            "--function",
            "ema",
            "--const",
            "alpha=0.5",
        ])
        .args(["-g", "--opt-level", "0", "-o", "node.so"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for run in [
        "run node.so < ticks.jsonl",
        "run --jit -g node.py --function ema --const alpha=0.5 < ticks.jsonl",
    ] {
        let out = Command::new("gdb")
            .args(["-q", "-batch", "-iex", "set auto-load off"])
            .args(["-ex", "set breakpoint pending on", "-ex", "break node.py:3"])
            .args(["-ex", &format!("run {run}"), "-ex", "next", "-ex", "kill"])
            .arg(env!("CARGO_BIN_EXE_cfuncc"))
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("gdb: {e}; install gdb (scripts/install-deps)"));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Breakpoint 1, ") && text.contains(" at node.py:3\n"),
            "{run}: no stop at node.py:3:\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("\n3\t    s = alpha * x + (1.0 - alpha) * s\n"),
            "{text}"
        );
        assert!(
            text.contains("\n4\t    return s\n"),
            "{run}: next did not reach line 4:\n{text}"
        );
    }
}
