//! `cfuncc run` checks a manifest against the `.so` before the first call
//! (the `.so`'s own description, `<native_name>_layout`) and refuses a `.so`
//! built for CPU features this machine lacks: each is a usage error (exit
//! 2) with a message, never a crash.

mod common;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const NODE: &str = "\
def node(x: Signal[int], y: Signal[float]) -> Outputs(a=int, b=float):
    xs: State[NumbaList] = create_new_list(int)
    n: State[int] = 0
    xs.append(x)
    n += 1
    return len(xs) + n, y * 2.0
";

fn compiled(dir: &Path) -> (PathBuf, Value) {
    let py = dir.join("node.py");
    std::fs::write(&py, NODE).unwrap();
    let so = dir.join("node.so");
    common::compile(&py, &["--function".into(), "node".into()], &so).unwrap();
    let m =
        serde_json::from_str(&std::fs::read_to_string(so.with_extension("json")).unwrap()).unwrap();
    (so, m)
}

/// Runs `cfuncc run SO --manifest MANIFEST` on two ticks.
fn run(so: &Path, manifest: &Path) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .arg("run")
        .arg(so)
        .arg("--manifest")
        .arg(manifest)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"inputs\": [1, 0.5]}\n{\"inputs\": [2, 1.5]}\n")
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_manifest_that_does_not_describe_the_so_is_a_usage_error() {
    let scratch = common::temp_dir("runner-checks");
    let dir = scratch.path();
    let (so, manifest) = compiled(&dir);
    let good = dir.join("good.json");
    std::fs::write(&good, manifest.to_string()).unwrap();
    let o = run(&so, &good);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    type Tamper = fn(&mut Value);
    let tampered: [(&str, Tamper); 10] = [
        ("a category's params not a list", |m| {
            m["categories"][0]["params"] = 1.5.into();
        }),
        ("a category's values naming no param", |m| {
            m["categories"][0]["values"] = "nope".into();
        }),
        ("a future major schema version", |m| {
            m["schema_version"] = "2.0".into();
        }),
        ("one input fewer", |m| {
            m["inputs"].as_array_mut().unwrap().pop();
        }),
        ("one output fewer", |m| {
            m["outputs"].as_array_mut().unwrap().pop();
        }),
        ("one state slot fewer", |m| {
            m["state"].as_array_mut().unwrap().pop();
        }),
        ("a container relabelled scalar", |m| {
            let s = m["state"].as_array_mut().unwrap();
            let c = s.iter_mut().find(|s| s["kind"] == "container").unwrap();
            c["kind"] = "scalar".into();
        }),
        ("an input of another type", |m| {
            m["inputs"][1]["type"] = "int".into();
        }),
        ("another node's key", |m| {
            m["semantic_key"] = "0123456789abcdef".into();
        }),
        ("another fault slot", |m| {
            m["fault_slot"] = 0.into();
        }),
    ];
    for (what, tamper) in tampered {
        let mut m = manifest.clone();
        tamper(&mut m);
        let path = dir.join("tampered.json");
        std::fs::write(&path, m.to_string()).unwrap();
        let o = run(&so, &path);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains("does not describe this .so") || err.contains("manifest"),
            "{what}: {err}"
        );
        assert!(o.stdout.is_empty(), "{what}: no tick may run");
    }
}

/// A `.so` whose target features this machine lacks (simulated by turning
/// one of the `-feature`s of its feature string, in the `.so`'s own layout
/// and in the manifest, into `+feature`) is refused before any call.
#[test]
fn a_so_built_for_missing_cpu_features_is_refused() {
    let scratch = common::temp_dir("runner-cpu");
    let dir = scratch.path();
    let (so, manifest) = compiled(&dir);
    let features = manifest["target"]["features"].as_str().unwrap().to_string();
    let lacking = features
        .split(',')
        .filter_map(|f| f.strip_prefix('-'))
        .find(|f| !cfuncc::runner::missing_cpu_features("", &format!("+{f}")).is_empty())
        .expect("this machine lacks some x86 feature LLVM knows (sse4a on Intel, avx512 on AMD)")
        .to_string();
    let (from, to) = (format!(",-{lacking},"), format!(",+{lacking},"));
    let bytes = std::fs::read(&so).unwrap();
    let at = bytes
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .expect("the layout text is in the .so");
    let mut patched = bytes.clone();
    patched[at..at + to.len()].copy_from_slice(to.as_bytes());
    let bad_so = dir.join("elsewhere.so");
    std::fs::write(&bad_so, patched).unwrap();
    let mut m = manifest.clone();
    m["target"]["features"] = features.replacen(&from, &to, 1).into();
    let path = dir.join("elsewhere.json");
    std::fs::write(&path, m.to_string()).unwrap();
    let o = run(&bad_so, &path);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&lacking) && err.contains("--target-cpu"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    // The same .so and manifest untouched run.
    let good = dir.join("node.json");
    assert!(run(&so, &good).status.success());
}

/// A `.so` for an x86-64 psABI level runs on any machine with that level;
/// the manifest records the level.
#[test]
fn a_portable_level_is_recorded_and_runs() {
    let scratch = common::temp_dir("runner-level");
    let dir = scratch.path();
    let py = dir.join("node.py");
    std::fs::write(&py, NODE).unwrap();
    let so = dir.join("v3.so");
    common::compile(
        &py,
        &[
            "--function".into(),
            "node".into(),
            "--target-cpu".into(),
            "x86-64-v3".into(),
        ],
        &so,
    )
    .unwrap();
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(so.with_extension("json")).unwrap()).unwrap();
    assert_eq!(m["target"]["cpu"], "x86-64-v3");
    assert!(run(&so, &so.with_extension("json")).status.success());
}
