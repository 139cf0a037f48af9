//! Hosts written for the seed run cfuncc nodes unchanged (README "Lifecycle
//! and hosts"). tests/seed_hosts/host.c is two such hosts: `seed` (the
//! seed's harness and C runner: every slot points at a zeroed 8-byte cell)
//! and `csp` (csp's numba node: inputs NULL until first valid and in
//! START/STOP, container state NULL, `state_values` written by the host).
//! Both give each slot of `struct_state_indices` a buffer of
//! `struct_state_sizes[k]` bytes, as the seed's hosts do (zeroed; csp copies
//! a struct's `initial_bytes` in), which is how they run struct and array
//! state.
//! Each drives every node of the conformance and differential suites, plus
//! the nodes of tests/seed_hosts/nodes.py, under valgrind, through START,
//! EXECUTE × N, STOP, then START twice, the same ticks, STOP twice and an
//! EXECUTE after STOP. Every tick's outputs must equal `cfuncc run`'s, with
//! no valgrind error and no leak.
//!
//! Nodes are compiled for x86-64-v3: valgrind 3.19 cannot decode AVX-512.

mod common;

use cfuncc::types::Storage;
use common::SuiteNode;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One node's part of the plan and what the host must print for it.
struct Planned {
    name: String,
    plan: String,
    /// Per `tick` op: `Some(expected)` to compare, `None` to only run.
    ticks: Vec<Option<Value>>,
    manifest: Value,
    /// The csp host refuses a node with an output larger than 8 bytes.
    csp_refuses: bool,
}

fn host() -> PathBuf {
    common::c_host("seed_hosts/host.c", "seed-hosts-bin")
}

/// A JSON input value as the hex of its cell (or struct buffer).
fn encode(v: &Value, ty: &str, manifest: &Value) -> String {
    if let Some(layout) = manifest["structs"].get(ty) {
        let size = layout["size"].as_u64().unwrap() as usize;
        let mut buf = vec![0u8; size];
        for f in layout["fields"].as_array().unwrap() {
            let at = f["offset"].as_u64().unwrap() as usize;
            let fty = f["type"].as_str().unwrap();
            let cell = cell_bits(&v[f["name"].as_str().unwrap()], fty, manifest);
            storage(f).store(cell, &mut buf[at..]);
        }
        return hex_of(&buf);
    }
    format!("{:016x}", cell_bits(v, ty, manifest))
}

/// Bytes in memory order as the hosts' plans write them (host_util.h's
/// `parse_value`): pairs of hex digits, except that exactly 8 bytes are one
/// little-endian uint64 written as `%016llx`.
fn hex_of(bytes: &[u8]) -> String {
    match <[u8; 8]>::try_from(bytes) {
        Ok(cell) => format!("{:016x}", u64::from_le_bytes(cell)),
        Err(_) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// How a manifest's struct field is stored (its `storage`: `int8` …
/// `uint64`, `float32`, `float64`, `bool`).
fn storage(field: &Value) -> Storage {
    Storage::from_name(field["storage"].as_str().expect("fields[].storage"))
        .expect("a storage name")
}

/// The built-in type a scalar type is carried as.
fn repr<'a>(ty: &'a str, manifest: &'a Value) -> &'a str {
    match ty {
        "datetime" | "timedelta" => "int",
        t => manifest["scalar_types"]
            .get(t)
            .and_then(Value::as_str)
            .unwrap_or(t),
    }
}

fn cell_bits(v: &Value, ty: &str, manifest: &Value) -> u64 {
    match repr(ty, manifest) {
        "float" => v
            .as_f64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .unwrap_or_else(|| panic!("not a float: {v}"))
            .to_bits(),
        "bool" => v.as_bool().map(u64::from).unwrap_or_else(|| {
            v.as_i64()
                .map(|i| (i != 0) as u64)
                .unwrap_or_else(|| panic!("not a bool: {v}"))
        }),
        // A uint64 field's 2^63 ... 2^64 - 1 (as `cfuncc run` takes them).
        _ => v
            .as_i64()
            .map(|i| i as u64)
            .or_else(|| v.as_u64())
            .unwrap_or_else(|| panic!("not an int: {v}")),
    }
}

/// The host's hex of an output cell, as the value `cfuncc run` prints.
fn decode(hex: &str, ty: &str, manifest: &Value) -> Value {
    let bytes: Vec<u8> = if hex.len() == 16 {
        u64::from_str_radix(hex, 16).unwrap().to_le_bytes().to_vec()
    } else {
        (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    };
    let scalar = |bits: u64, ty: &str| -> Value {
        match repr(ty, manifest) {
            "float" => {
                let f = f64::from_bits(bits);
                serde_json::Number::from_f64(f)
                    .map_or_else(|| Value::String(f.to_string()), Value::Number)
            }
            "bool" => Value::Bool(bits as u8 != 0),
            _ => Value::from(bits as i64),
        }
    };
    match manifest["structs"].get(ty) {
        Some(layout) => Value::Object(
            layout["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let at = f["offset"].as_u64().unwrap() as usize;
                    let fty = f["type"].as_str().unwrap();
                    (
                        f["name"].as_str().unwrap().to_string(),
                        scalar(storage(f).load(&bytes[at..]), fty),
                    )
                })
                .collect(),
        ),
        None => scalar(u64::from_le_bytes(bytes[..8].try_into().unwrap()), ty),
    }
}

/// Compiles `node`, runs it with `cfuncc run`, and plans it for the hosts.
fn plan(node: &SuiteNode, tmp: &Path) -> Result<Planned, String> {
    let so = tmp.join(format!("{}.so", node.name));
    let mut args = node.args.clone();
    args.extend(["--target-cpu".into(), "x86-64-v3".into()]);
    common::compile(&node.file, &args, &so)?;
    let expected = common::run(&so, &node.ticks)?;
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(so.with_extension("json")).unwrap()).unwrap();
    let inputs: Vec<&str> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["type"].as_str().unwrap())
        .collect();
    let size_of = |ty: &str| {
        manifest["structs"]
            .get(ty)
            .map_or(8, |l| l["size"].as_u64().unwrap())
    };
    let mut p = String::new();
    writeln!(
        p,
        "node {} {} {}",
        std::path::absolute(&so).unwrap().display(),
        manifest["native_name"].as_str().unwrap(),
        manifest["fault_slot"].as_u64().expect("fault_slot")
    )
    .unwrap();
    let sizes = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(" ");
    let in_sizes: Vec<u64> = inputs.iter().map(|t| size_of(t)).collect();
    writeln!(p, "inputs {} {}", inputs.len(), sizes(&in_sizes)).unwrap();
    let out_sizes: Vec<u64> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["cell_size"].as_u64().expect("outputs[i].cell_size"))
        .collect();
    writeln!(p, "outputs {} {}", out_sizes.len(), sizes(&out_sizes)).unwrap();
    // State slots in slot order, with what the seed's `state_values` gives.
    let mut state: Vec<&Value> = manifest["state"].as_array().unwrap().iter().collect();
    state.sort_by_key(|s| s["slot"].as_u64());
    let values = manifest["state_values"].as_array().expect("state_values");
    assert_eq!(values.len(), state.len(), "{}: state_values", node.name);
    // The seed's hosts know only struct_state_indices/struct_state_sizes:
    // a zeroed buffer of that size for each of those slots. Array state is
    // listed there, so these hosts run array nodes unchanged.
    let buffers: Vec<(u64, u64)> = manifest["struct_state_indices"]
        .as_array()
        .expect("struct_state_indices")
        .iter()
        .zip(
            manifest["struct_state_sizes"]
                .as_array()
                .expect("struct_state_sizes"),
        )
        .map(|(i, n)| (i.as_u64().unwrap(), n.as_u64().unwrap()))
        .collect();
    let specs: Vec<String> = state
        .iter()
        .zip(values)
        .map(|(s, v)| match s["kind"].as_str().unwrap() {
            "container" => "c".to_string(),
            "array" => {
                let slot = s["slot"].as_u64().unwrap();
                let (_, size) = buffers.iter().find(|(i, _)| *i == slot).unwrap_or_else(|| {
                    panic!(
                        "{}: array slot {slot} is not in struct_state_indices",
                        node.name
                    )
                });
                assert_eq!(
                    Some(*size),
                    s["size"].as_u64(),
                    "{}: struct_state_sizes",
                    node.name
                );
                format!("s:{size}:{}", hex_of(&vec![0u8; *size as usize]))
            }
            "struct" => {
                let hex = s["initial_bytes"].as_str().expect("initial_bytes");
                let bytes: Vec<u8> = (0..hex.len() / 2)
                    .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
                    .collect();
                format!("s:{}:{}", s["size"], hex_of(&bytes))
            }
            _ => format!("v:{}", encode(v, s["type"].as_str().unwrap(), &manifest)),
        })
        .collect();
    writeln!(p, "state {} {}", specs.len(), specs.join(" ")).unwrap();

    // The ops: the tick lines as `cfuncc run` plays them, then START twice,
    // the same lines, STOP twice and an EXECUTE after STOP.
    let lines: Vec<Value> = node
        .ticks
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let phase = |l: &Value| l.get("phase").and_then(Value::as_str).map(str::to_string);
    let tick_op = |l: &Value| -> String {
        let n = inputs.len();
        let flags = |key: &str| -> String {
            if n == 0 {
                return "-".into();
            }
            (0..n)
                .map(|i| {
                    let f = l.get(key).map_or(Value::Bool(true), |a| a[i].clone());
                    if f == Value::Bool(true) || f.as_i64().is_some_and(|x| x != 0) {
                        '1'
                    } else {
                        '0'
                    }
                })
                .collect()
        };
        let values: Vec<String> = (0..n)
            .map(|i| encode(&l["inputs"][i], inputs[i], &manifest))
            .collect();
        format!(
            "tick {} {} {}",
            flags("ticked"),
            flags("valid"),
            values.join(" ")
        )
    };
    let mut ticks = Vec::new();
    let first_is_phase = lines.first().and_then(phase).is_some();
    let last_is_stop = lines.last().and_then(phase).as_deref() == Some("stop");
    let replay = |p: &mut String, ticks: &mut Vec<Option<Value>>, compare: bool| {
        let mut out = expected.iter();
        for l in &lines {
            match phase(l) {
                Some(ph) => writeln!(p, "{ph}").unwrap(),
                None => {
                    writeln!(p, "{}", tick_op(l)).unwrap();
                    let e = out.next().cloned();
                    ticks.push(if compare { e } else { None });
                }
            }
        }
    };
    if !first_is_phase {
        p.push_str("start\n");
    }
    replay(&mut p, &mut ticks, true);
    if !last_is_stop {
        p.push_str("stop\n");
    }
    p.push_str("start\nstart\n");
    // The replay starts as the first run did unless that began with STOP.
    let comparable = lines.first().and_then(phase).as_deref() != Some("stop");
    replay(&mut p, &mut ticks, comparable);
    p.push_str("stop\nstop\n");
    if let Some(l) = lines.iter().find(|l| phase(l).is_none()) {
        writeln!(p, "{}", tick_op(l)).unwrap();
        ticks.push(None);
    }
    p.push_str("end\n");
    Ok(Planned {
        name: node.name.clone(),
        plan: p,
        ticks,
        csp_refuses: out_sizes.iter().any(|s| *s > 8),
        manifest,
    })
}

/// Runs the host under valgrind on every planned node and checks its
/// transcript; returns the failures.
fn drive(exe: &Path, mode: &str, nodes: &[Planned], tmp: &Path) -> Vec<String> {
    let plan_file = tmp.join(format!("plan-{mode}.txt"));
    std::fs::write(
        &plan_file,
        nodes.iter().map(|n| n.plan.as_str()).collect::<String>(),
    )
    .unwrap();
    let out = Command::new("valgrind")
        .args([
            "-q",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect,possible",
        ])
        .arg(exe)
        .arg(mode)
        .arg(&plan_file)
        .output()
        .expect("valgrind is not installed: run scripts/install-deps");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "host {mode} under valgrind: {}\nstderr:\n{}\nstdout (tail):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        stdout.lines().rev().take(20).collect::<Vec<_>>().join("\n")
    );
    let mut failures = Vec::new();
    let mut lines = stdout.lines().peekable();
    for n in nodes {
        let name = n.manifest["native_name"].as_str().unwrap();
        assert_eq!(
            lines.next(),
            Some(format!("node {name}").as_str()),
            "host {mode}: transcript out of step at {}",
            n.name
        );
        if mode == "csp" && n.csp_refuses {
            let l = lines.next().unwrap_or_default();
            if !l.starts_with("refused") {
                failures.push(format!(
                    "{}: csp host should refuse it, printed {l}",
                    n.name
                ));
            }
            continue;
        }
        let mut ticks = n.ticks.iter();
        while let Some(l) = lines.next_if(|l| !l.starts_with("node ")) {
            let fields: std::collections::HashMap<&str, &str> = l
                .split_whitespace()
                .skip(1)
                .filter_map(|f| f.split_once('='))
                .collect();
            if l.starts_with("start") || l.starts_with("stop") {
                if fields["fault"] != "0" {
                    failures.push(format!("{}: {l}", n.name));
                }
                continue;
            }
            let Some(want) = ticks.next() else {
                failures.push(format!("{}: unexpected line {l}", n.name));
                break;
            };
            let Some(want) = want else { continue };
            let got = transcript_value(&fields, &n.manifest);
            let matches = match (want.get("error"), got.get("error")) {
                (Some(w), Some(g)) => w["code"] == g["code"],
                (None, None) => common::same(&got, want),
                _ => false,
            };
            if !matches {
                failures.push(format!(
                    "{} ({mode}): host got {got}, cfuncc run {want}",
                    n.name
                ));
            }
        }
        if ticks.next().is_some() {
            failures.push(format!("{} ({mode}): fewer ticks than planned", n.name));
        }
    }
    failures
}

/// A host tick line as the JSON `cfuncc run` prints.
fn transcript_value(fields: &std::collections::HashMap<&str, &str>, manifest: &Value) -> Value {
    let code: i64 = fields["fault"].parse().unwrap();
    if code != 0 {
        return serde_json::json!({"error": {"code": code}});
    }
    let outputs = manifest["outputs"].as_array().unwrap();
    let vals: Vec<Value> = fields["out"]
        .split(',')
        .zip(outputs)
        .map(|(h, o)| {
            if h == "-" {
                Value::Null
            } else {
                decode(h, o["type"].as_str().unwrap(), manifest)
            }
        })
        .collect();
    if manifest["named_outputs"].is_object() {
        let named = outputs
            .iter()
            .zip(vals)
            .map(|(o, v)| (o["name"].as_str().unwrap().to_string(), v))
            .collect();
        serde_json::json!({"outputs": Value::Object(named)})
    } else {
        serde_json::json!({ "outputs": vals })
    }
}

fn all_nodes(tmp: &Path) -> Vec<SuiteNode> {
    let root = common::root();
    let conformance = tmp.join("conformance");
    std::fs::create_dir_all(&conformance).unwrap();
    let mut nodes = common::conformance_nodes(&conformance);
    nodes.extend(common::differential_nodes(
        &root.join("tests/differential/nodes"),
    ));
    nodes.extend(common::generate_nodes(&tmp.join("generated")));
    nodes.extend(common::differential_nodes(
        &root.join("tests/seed_hosts/nodes"),
    ));
    nodes
}

#[test]
fn seed_and_csp_hosts_drive_every_suite_node_under_valgrind() {
    let scratch = common::temp_dir("seed-hosts");
    let tmp = scratch.path();
    let exe = host();
    let nodes = all_nodes(&tmp);
    // Compile and run on both cores.
    let half = nodes.len().div_ceil(2);
    let results: Vec<Result<Planned, String>> = std::thread::scope(|s| {
        let jobs: Vec<_> = nodes
            .chunks(half)
            .map(|chunk| s.spawn(|| chunk.iter().map(|n| plan(n, &tmp)).collect::<Vec<_>>()))
            .collect();
        jobs.into_iter().flat_map(|j| j.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    let mut planned = Vec::new();
    for (n, r) in nodes.iter().zip(results) {
        match r {
            Ok(p) => planned.push(p),
            Err(e) => failures.push(format!("{}: {e}", n.name)),
        }
    }
    for mode in ["seed", "csp"] {
        failures.extend(drive(&exe, mode, &planned, &tmp));
    }
    let ticks: usize = planned.iter().map(|p| p.ticks.len()).sum();
    println!(
        "seed hosts: {} nodes, {ticks} ticks per host: {} passed, {} failed",
        nodes.len(),
        planned.len() * 2 - failures.len().min(planned.len() * 2),
        failures.len()
    );
    assert!(nodes.len() >= 200, "too few suite nodes: {}", nodes.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let names: Vec<&str> = planned.iter().map(|p| p.name.as_str()).collect();
    assert!(
        names.contains(&"never_ticks"),
        "the csp node with an input that never ticks ran"
    );
}
