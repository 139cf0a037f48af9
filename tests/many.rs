//! Many nodes in one go (tests/many/): `cfuncc compile-many graph.toml`
//! builds one `.so` and one manifest; each node runs through
//! `cfuncc run --node` exactly as its own `.so` does; every failing node is
//! reported; the cache applies per node.

mod common;

use cfuncc::{CompilationContext, CompilationOptions};
use std::path::Path;
use std::process::{Command, Output};

fn cfuncc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("run cfuncc")
}

fn run_node(so: &Path, node: Option<&str>, ticks: &str) -> Vec<serde_json::Value> {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cfuncc"));
    cmd.arg("run").arg(so);
    if let Some(n) = node {
        cmd.args(["--node", n]);
    }
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ticks.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const FLOATS: &str =
    "{\"inputs\": [10.0]}\n{\"inputs\": [10.0]}\n{\"inputs\": [0.0]}\n{\"inputs\": [4.0]}\n";
const INTS: &str = "{\"inputs\": [3]}\n{\"inputs\": [3]}\n{\"inputs\": [7]}\n{\"inputs\": [3]}\n";

#[test]
fn a_graph_is_one_so_whose_nodes_run_as_their_own() {
    let scratch = common::temp_dir("many-graph");
    let tmp = scratch.path();
    let so = tmp.join("graph.so");
    let out = cfuncc(&[
        "compile-many",
        "tests/many/graph.toml",
        "--no-cache",
        "-o",
        so.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.join("graph.json")).unwrap()).unwrap();
    let nodes = manifest["nodes"].as_array().unwrap();
    let names: Vec<&str> = nodes.iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["fast", "fast_copy", "slow", "count"]);
    // Two nodes alike in code still get a symbol each.
    let symbols: std::collections::HashSet<&str> = nodes
        .iter()
        .map(|n| n["manifest"]["native_name"].as_str().unwrap())
        .collect();
    assert_eq!(symbols.len(), 4, "{symbols:?}");
    // Each node gives what its own .so gives.
    for (node, consts, ticks) in [
        ("fast", "alpha=0.5", FLOATS),
        ("fast_copy", "alpha=0.5", FLOATS),
        ("slow", "alpha=0.125", FLOATS),
    ] {
        let own = tmp.join(format!("{node}.so"));
        let c = cfuncc(&[
            "compile",
            "examples/ema.py",
            "--function",
            "ema",
            "--const",
            consts,
            "--no-cache",
            "-o",
            own.to_str().unwrap(),
        ]);
        assert!(c.status.success(), "{c:?}");
        assert_eq!(
            run_node(&so, Some(node), ticks),
            run_node(&own, None, ticks),
            "{node}"
        );
    }
    let own = tmp.join("count.so");
    let c = cfuncc(&[
        "compile",
        "tests/many/count.py",
        "--function",
        "count",
        "--no-cache",
        "-o",
        own.to_str().unwrap(),
    ]);
    assert!(c.status.success());
    assert_eq!(
        run_node(&so, Some("count"), INTS),
        run_node(&own, None, INTS)
    );
    // A graph needs --node, and names a missing one.
    let r = cfuncc(&["run", so.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--node"));
    let r = cfuncc(&["run", so.to_str().unwrap(), "--node", "nope"]);
    assert!(String::from_utf8_lossy(&r.stderr).contains("fast, fast_copy, slow, count"));
}

#[test]
fn every_failing_node_is_reported_at_its_place() {
    let scratch = common::temp_dir("many-bad");
    let tmp = scratch.path();
    let out = cfuncc(&[
        "compile-many",
        "tests/many/bad.toml",
        "--no-cache",
        "-o",
        tmp.join("bad.so").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tests/many/bad_a.py:2:12: error:"), "{err}");
    assert!(
        err.contains("tests/many/bad_b.py:2:9: error: unknown name 'undefined_name'"),
        "{err}"
    );
    assert!(err.contains("2 errors"), "{err}");
    assert!(!tmp.join("bad.so").exists());
}

#[test]
fn the_cache_applies_per_node() {
    let scratch = common::temp_dir("many-cache");
    let tmp = scratch.path();
    let cache = tmp.join("cache");
    let graph = tmp.join("graph.toml");
    let text = std::fs::read_to_string(common::root().join("tests/many/graph.toml"))
        .unwrap()
        .replace(
            "../../examples/ema.py",
            &common::root().join("examples/ema.py").display().to_string(),
        )
        .replace(
            "\"count.py\"",
            &format!("{:?}", common::root().join("tests/many/count.py")),
        );
    std::fs::write(&graph, &text).unwrap();
    let compile = || {
        let o = cfuncc(&[
            "compile-many",
            graph.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
            "-o",
            tmp.join("g.so").to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert!(compile().contains("(4 compiled, 0 from the cache)"));
    // --timings: the nodes' phases summed, and the graph's own costs.
    let o = cfuncc(&[
        "compile-many",
        graph.to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
        "--timings",
        "-o",
        tmp.join("t.so").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    for row in [
        "summed over the 0 compiled nodes",
        "codegen",
        "contexts (",
        "cache (keys, reads, writes)",
        "merge + link the .so, wall",
    ] {
        assert!(err.contains(row), "no '{row}' in:\n{err}");
    }
    assert!(compile().contains("(0 compiled, 4 from the cache)"));
    std::fs::write(&graph, text.replace("alpha = 0.125", "alpha = 0.25")).unwrap();
    assert!(compile().contains("(1 compiled, 3 from the cache)"));
    assert_eq!(run_node(&tmp.join("g.so"), Some("fast"), FLOATS).len(), 4);
}

#[test]
fn compile_many_from_rust_on_two_threads() {
    let scratch = common::temp_dir("many-rust");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let nodes =
        cfuncc::driver::many::read_graph(&ctx, &common::root().join("tests/many/graph.toml"))
            .unwrap();
    let g = cfuncc::compile_many(
        ctx.registry(),
        &nodes,
        &CompilationOptions::default(),
        None,
        2,
        &tmp.join("g.so"),
    )
    .unwrap();
    assert_eq!((g.compiled, g.cached), (4, 0));
    assert_eq!(g.manifest["nodes"].as_array().unwrap().len(), 4);
    // Where the time went: every compiled node's phases, summed.
    let t = &g.timings;
    assert_eq!(t.workers, 2);
    assert!(!t.nodes.codegen.is_zero() && !t.nodes.llvm_opt.is_zero() && !t.link.is_zero());
    assert!(t
        .nodes
        .per_pass
        .iter()
        .any(|(n, d)| n == "cfunc-resolve" && !d.is_zero()));
    assert!(t.compile_wall >= t.contexts / 2, "{t:?}");
    let mut dup = nodes.clone();
    dup[1].name = "fast".into();
    let e = cfuncc::compile_many(
        ctx.registry(),
        &dup,
        &CompilationOptions::default(),
        None,
        2,
        &tmp.join("d.so"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("two nodes are named 'fast'"), "{e}");
}

/// The builtin linker takes every node's object at once, in memory; `ld
/// -shared` takes them as files. Both give a `.so` whose nodes tick alike,
/// with each libc function imported once (`tests/many/count.py` allocates:
/// the graph imports `malloc`, however many nodes do).
#[test]
fn a_graph_links_alike_in_process_and_with_ld() {
    use cfuncc::Linker;
    let scratch = common::temp_dir("many-linkers");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let mut nodes =
        cfuncc::driver::many::read_graph(&ctx, &common::root().join("tests/many/graph.toml"))
            .unwrap();
    // A second counter: two objects that import the same functions.
    let mut copy = nodes.iter().find(|n| n.name == "count").unwrap().clone();
    copy.name = "count_copy".into();
    nodes.push(copy);
    let mut sos = Vec::new();
    for linker in [Linker::Builtin, Linker::System] {
        let so = tmp.join(format!("{linker}.so"));
        let options = CompilationOptions {
            linker,
            ..Default::default()
        };
        let g = cfuncc::compile_many(ctx.registry(), &nodes, &options, None, 2, &so).unwrap();
        assert_eq!(g.linker_used, linker);
        std::fs::write(so.with_extension("json"), g.manifest.to_string()).unwrap();
        sos.push(so);
    }
    for (node, ticks) in [
        ("fast", FLOATS),
        ("slow", FLOATS),
        ("count", INTS),
        ("count_copy", INTS),
    ] {
        assert_eq!(
            run_node(&sos[0], Some(node), ticks),
            run_node(&sos[1], Some(node), ticks),
            "{node}"
        );
    }
    let dynsyms = Command::new("nm")
        .args(["-D", "--undefined-only"])
        .arg(&sos[0])
        .output()
        .expect("nm (binutils)");
    let text = String::from_utf8_lossy(&dynsyms.stdout);
    assert_eq!(text.matches(" malloc@").count(), 1, "{text}");
}
