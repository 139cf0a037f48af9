//! Drives compiled nodes from a C host (tests/c_host/host.c) through
//! dlopen/dlsym and the C ABI of design.md §2, and checks the exported
//! symbols with `nm -D`.
//!
//! Expected values come from Rust reimplementations of each node's
//! arithmetic, fed the same inputs the host is given.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod common;

const NODES: &str = r#"
import math

def add(a: Signal[int], b: Signal[int]) -> Signal[int]:
    return a + b

def ema(x: Signal[float], alpha: float) -> Signal[float]:
    s: State[float] = 0.0
    s = alpha * x + (1.0 - alpha) * s
    return s

def accumulate(x: Signal[int]) -> Signal[int]:
    total: State[int] = 100
    total = total + x
    return total

def wave(x: Signal[float]) -> Signal[float]:
    return math.sin(x) + math.hypot(x, 2.0)
"#;

const EMA_ALPHA: f64 = 0.5;
const ACC_INITIAL: i64 = 100;

/// This test process's scratch directory (kept: the host binary built in
/// it serves every test).
fn workdir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| common::temp_dir("c_host").keep())
}

/// The C host binary, built once per test process.
fn host() -> &'static Path {
    static HOST: OnceLock<PathBuf> = OnceLock::new();
    HOST.get_or_init(|| {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c_host/host.c");
        let out = workdir().join("host");
        let o = Command::new("cc")
            .args(["-O2", "-Wall", "-Werror", "-o"])
            .arg(&out)
            .arg(&src)
            .arg("-ldl")
            .output()
            .expect("cannot run cc");
        assert!(
            o.status.success(),
            "cc host.c failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        out
    })
}

struct Compiled {
    so: PathBuf,
    native_name: String,
    fault_symbol: String,
}

fn compile(function: &str, consts: &[&str]) -> Compiled {
    // Tests run in parallel: each compilation gets its own directory.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = workdir().join(format!("{function}_{n}"));
    std::fs::create_dir_all(&dir).unwrap();
    let py = dir.join("nodes.py");
    std::fs::write(&py, NODES).unwrap();
    let so = dir.join(format!("{function}.so"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cfuncc"));
    cmd.arg("compile").arg(&py).args(["--function", function]);
    for c in consts {
        cmd.args(["--const", c]);
    }
    let o = cmd.arg("-o").arg(&so).output().expect("cannot run cfuncc");
    assert!(
        o.status.success(),
        "cfuncc compile {function} failed ({}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(so.with_extension("json")).unwrap()).unwrap();
    assert_eq!(manifest["function"], function);
    Compiled {
        so,
        native_name: manifest["native_name"].as_str().unwrap().to_string(),
        fault_symbol: manifest["fault_symbol"].as_str().unwrap().to_string(),
    }
}

/// One parsed line of host output: `kind` then `key=value` fields.
#[derive(Debug)]
struct Line {
    kind: String,
    fields: std::collections::HashMap<String, String>,
}

impl Line {
    fn get(&self, k: &str) -> &str {
        self.fields
            .get(k)
            .unwrap_or_else(|| panic!("no field {k} in {self:?}"))
    }
}

fn run_host(
    c: &Compiled,
    in_types: &str,
    out_types: &str,
    n_state: usize,
    ticks: &[String],
) -> Vec<Line> {
    let o = Command::new(host())
        .arg(&c.so)
        .arg(&c.native_name)
        .arg(&c.fault_symbol)
        .args([in_types, out_types, &n_state.to_string()])
        .args(ticks)
        .output()
        .expect("cannot run host");
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        o.status.success(),
        "host failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    stdout
        .lines()
        .map(|l| {
            let mut parts = l.split_whitespace();
            let kind = parts.next().unwrap().to_string();
            let fields = parts
                .filter_map(|p| {
                    p.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                })
                .collect();
            Line { kind, fields }
        })
        .collect()
}

fn hex_bits(s: &str) -> u64 {
    u64::from_str_radix(s, 16).unwrap_or_else(|_| panic!("not hex bits: {s}"))
}

/// What the host prints for one output value.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Out {
    Int(i64),
    Float(f64),
}

impl Out {
    fn parse(s: &str, ty: char) -> Out {
        match ty {
            'i' => Out::Int(s.parse().unwrap()),
            'f' => Out::Float(f64::from_bits(hex_bits(s))),
            _ => unreachable!(),
        }
    }
    fn state_cell(self) -> u64 {
        match self {
            Out::Int(i) => i as u64,
            Out::Float(f) => f.to_bits(),
        }
    }
    fn same(self, other: Out) -> bool {
        match (self, other) {
            (Out::Float(a), Out::Float(b)) => a.to_bits() == b.to_bits(),
            _ => self == other,
        }
    }
}

/// Checks the whole host transcript of a one-output node.
///
/// `expected[i]` is the output of tick i (the host repeats the last tick
/// after phase 7, so `expected` has one more entry than `ticks`), and
/// `state[i]` the state cells after it. `initial_state` is what START must
/// write.
fn check_transcript(
    lines: &[Line],
    out_ty: char,
    initial_state: &[u64],
    expected: &[Out],
    state: &[Vec<u64>],
) {
    let n_ticks = expected.len();
    assert_eq!(lines.len(), n_ticks + 3, "host printed {lines:#?}");
    let fmt_state = |cells: &[u64]| {
        if cells.is_empty() {
            "-".to_string()
        } else {
            cells
                .iter()
                .map(|c| format!("{c:016x}"))
                .collect::<Vec<_>>()
                .join(",")
        }
    };

    assert_eq!(lines[0].kind, "start");
    assert_eq!(lines[0].get("fault"), "0", "START faulted");
    assert_eq!(
        lines[0].get("state"),
        fmt_state(initial_state),
        "START must write the initial state"
    );

    let ticks: Vec<&Line> = lines.iter().filter(|l| l.kind == "tick").collect();
    assert_eq!(ticks.len(), n_ticks);
    for (i, (l, want)) in ticks.iter().zip(expected).enumerate() {
        assert_eq!(l.get("fault"), "0", "tick {i} faulted: {l:?}");
        assert_eq!(
            l.get("ticked"),
            "1",
            "tick {i}: output_ticked not set: {l:?}"
        );
        let got = Out::parse(l.get("out"), out_ty);
        assert!(got.same(*want), "tick {i}: got {got:?}, expected {want:?}");
        assert_eq!(
            l.get("state"),
            fmt_state(&state[i]),
            "tick {i}: state cells"
        );
    }

    let p7 = lines
        .iter()
        .find(|l| l.kind == "phase7")
        .expect("no phase7 line");
    assert_eq!(p7.get("fault"), "0", "phase 7 faulted");
    assert_eq!(p7.get("ticked"), "0", "phase 7 set output_ticked");
    assert_eq!(p7.get("outputs_unchanged"), "1", "phase 7 wrote an output");
    assert_eq!(p7.get("state_unchanged"), "1", "phase 7 wrote state");

    let stop = lines.last().unwrap();
    assert_eq!(stop.kind, "stop");
    assert_eq!(stop.get("fault"), "0", "STOP faulted");
}

/// The host's tick order: the given ticks, then the last one again (after
/// phase 7).
fn with_repeat<T: Clone>(ticks: &[T]) -> Vec<T> {
    let mut v = ticks.to_vec();
    v.push(ticks.last().unwrap().clone());
    v
}

#[test]
fn add_from_c() {
    let c = compile("add", &[]);
    let inputs: Vec<(i64, i64)> = vec![
        (1, 2),
        (-7, 3),
        (40, 2),
        (i64::MAX, 1), // wraps, as in Numba
        (i64::MIN, -1),
        (123456789012, -987654321),
    ];
    let ticks: Vec<String> = inputs.iter().map(|(a, b)| format!("{a},{b}")).collect();
    let lines = run_host(&c, "ii", "i", 0, &ticks);
    let all = with_repeat(&inputs);
    let expected: Vec<Out> = all
        .iter()
        .map(|(a, b)| Out::Int(a.wrapping_add(*b)))
        .collect();
    let state = vec![Vec::new(); all.len()];
    check_transcript(&lines, 'i', &[], &expected, &state);
}

#[test]
fn ema_from_c() {
    let c = compile("ema", &[&format!("alpha={EMA_ALPHA}")]);
    let inputs: Vec<f64> = vec![1.0, 2.5, -3.25, 0.1, 1e10, -0.3, 7.0 / 3.0];
    // `{:?}` prints the shortest representation that round-trips, so the
    // host's strtod reads back exactly these doubles.
    let ticks: Vec<String> = inputs.iter().map(|x| format!("{x:?}")).collect();
    let lines = run_host(&c, "f", "f", 1, &ticks);
    let mut s = 0.0f64;
    let (mut expected, mut state) = (Vec::new(), Vec::new());
    for x in with_repeat(&inputs) {
        s = EMA_ALPHA * x + (1.0 - EMA_ALPHA) * s;
        expected.push(Out::Float(s));
        state.push(vec![Out::Float(s).state_cell()]);
    }
    check_transcript(&lines, 'f', &[0.0f64.to_bits()], &expected, &state);
}

#[test]
fn accumulate_from_c() {
    let c = compile("accumulate", &[]);
    let inputs: Vec<i64> = vec![1, 2, 3, -50, 1_000_000_007, i64::MAX, 5];
    let ticks: Vec<String> = inputs.iter().map(|x| x.to_string()).collect();
    let lines = run_host(&c, "i", "i", 1, &ticks);
    let mut total = ACC_INITIAL;
    let (mut expected, mut state) = (Vec::new(), Vec::new());
    for x in with_repeat(&inputs) {
        total = total.wrapping_add(x);
        expected.push(Out::Int(total));
        state.push(vec![total as u64]);
    }
    check_transcript(&lines, 'i', &[ACC_INITIAL as u64], &expected, &state);
}

/// The defined dynamic symbols of `so`.
fn defined_dynamic_symbols(so: &Path) -> Vec<String> {
    let o = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(so)
        .output()
        .expect("cannot run nm");
    assert!(
        o.status.success(),
        "nm failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut syms: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().last().map(str::to_string))
        .collect();
    syms.sort();
    syms
}

#[test]
fn exports_only_node_fault_and_layout_symbols() {
    for (function, consts) in [
        ("add", vec![]),
        ("ema", vec![format!("alpha={EMA_ALPHA}")]),
        ("accumulate", vec![]),
    ] {
        let consts: Vec<&str> = consts.iter().map(String::as_str).collect();
        let c = compile(function, &consts);
        assert!(c.native_name.starts_with("_gc_numba_"), "{}", c.native_name);
        assert_eq!(c.fault_symbol, format!("{}_fault", c.native_name));
        let mut want = vec![
            c.native_name.clone(),
            c.fault_symbol.clone(),
            format!("{}_layout", c.native_name),
        ];
        want.sort();
        assert_eq!(
            defined_dynamic_symbols(&c.so),
            want,
            "{function}: the .so must export exactly the node, its fault accessor and its layout"
        );
    }
}

/// The host transcript of `wave` for `inputs`, run directly or under a
/// wrapper command such as valgrind.
fn wave_run(c: &Compiled, wrapper: &[&str], ticks: &[String]) -> std::process::Output {
    let (program, args) = match wrapper.split_first() {
        Some((p, rest)) => (p.to_string(), rest.to_vec()),
        None => (host().display().to_string(), Vec::new()),
    };
    let mut cmd = Command::new(program);
    cmd.args(args);
    if !wrapper.is_empty() {
        cmd.arg(host());
    }
    cmd.arg(&c.so)
        .arg(&c.native_name)
        .arg(&c.fault_symbol)
        .args(["f", "f", "0"])
        .args(ticks)
        .output()
        .expect("cannot run the host")
}

/// A node that calls libm, linked by the builtin linker, run by the C host
/// under valgrind: no invalid reads or writes in loading, binding the libm
/// imports or running the node.
#[test]
fn builtin_linked_libm_node_is_clean_under_valgrind() {
    let c = compile("wave", &[]);
    let inputs = [0.5f64, -1.25, 3.0, 1e-3];
    let ticks: Vec<String> = inputs.iter().map(|x| format!("{x:?}")).collect();
    let lines = run_host(&c, "f", "f", 0, &ticks);
    let (mut expected, mut state) = (Vec::new(), Vec::new());
    for x in with_repeat(&inputs) {
        expected.push(Out::Float(x.sin() + x.hypot(2.0)));
        state.push(Vec::new());
    }
    check_transcript(&lines, 'f', &[], &expected, &state);

    // valgrind comes with scripts/install-deps: without it this test fails.
    let version = Command::new("valgrind").arg("--version").output();
    assert!(
        version.is_ok_and(|o| o.status.success()),
        "valgrind is not installed: run scripts/install-deps"
    );
    let plain = wave_run(&c, &[], &ticks);
    let checked = wave_run(&c, &["valgrind", "--error-exitcode=1", "--quiet"], &ticks);
    assert!(
        checked.status.success(),
        "valgrind reported errors ({}):\n{}",
        checked.status,
        String::from_utf8_lossy(&checked.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&plain.stdout)
    );
}
