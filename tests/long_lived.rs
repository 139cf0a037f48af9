//! A host that compiles nodes all day does not grow (issue 15): 2,000
//! distinct nodes compiled and dropped in one process through
//! `compile_many` (ten graphs of 200, each on two worker threads with
//! their own contexts), and 2,000 more compiled into one JIT session and
//! dropped (two threads, a context each), leave RSS less than 64 MB above
//! where it was after a warm-up. The tests run one after the other (a
//! lock), so neither counts the other's memory; no other test shares the
//! binary.

mod common;

use cfuncc::driver::many::GraphNode;
use cfuncc::{CompilationContext, CompilationOptions, Constants};

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Node `i`, one of four shapes with its own constants: float state, an
/// int counter, a dict (the container runtime) and a struct-free branch.
fn node(i: usize) -> GraphNode {
    let f = format!("n{i}");
    let source = match i % 4 {
        0 => format!("def {f}(x: Signal[float]) -> Signal[float]:\n    s: State[float] = 0.0\n    s = {a:?} * x + (1.0 - {a:?}) * s\n    return s\n", a = 1.0 / (i as f64 + 2.0)),
        1 => format!("def {f}(x: Signal[int]) -> Signal[int]:\n    c: State[int] = 0\n    c = c + x * {i}\n    return c % 97\n"),
        2 => format!("def {f}(x: Signal[int]) -> Signal[int]:\n    seen: State[NumbaDict] = create_new_dict(int, int)\n    seen[x] = seen.get(x, {i}) + 1\n    return seen[x]\n"),
        _ => format!("def {f}(x: Signal[float], y: Signal[float]) -> Signal[float]:\n    if x > y * {i}.5:\n        return x - y\n    return y\n"),
    };
    GraphNode {
        name: f.clone(),
        file: format!("{f}.py").into(),
        source,
        function: f,
        constants: Constants::new(),
    }
}

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn compiling_2000_nodes_into_the_jit_and_dropping_them_does_not_grow() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let jit = cfuncc::Jit::new().unwrap();
    let compile = |range: std::ops::Range<usize>| {
        let ctx = CompilationContext::with_defaults().unwrap();
        let options = CompilationOptions::default();
        for i in range {
            let n = node(i);
            let node =
                cfuncc::compile_to_jit(&ctx, &n.source, &n.function, &n.constants, &options, &jit)
                    .unwrap();
            let mut r = node.runner().unwrap();
            r.start().unwrap();
            drop(r);
            drop(node);
        }
    };
    compile(200_000..200_040);
    let before = rss_kib();
    std::thread::scope(|s| {
        s.spawn(|| compile(0..1000));
        s.spawn(|| compile(1000..2000));
    });
    let grown = rss_kib().saturating_sub(before);
    eprintln!("RSS grew {} KiB over 2,000 JIT nodes", grown);
    assert!(
        grown < 64 * 1024,
        "RSS grew {grown} KiB over 2,000 JIT nodes"
    );
}

#[test]
fn compiling_2000_nodes_with_compile_many_does_not_grow() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let scratch = common::temp_dir("long-lived");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let options = CompilationOptions::default();
    let graph = |range: std::ops::Range<usize>, name: &str| {
        let nodes: Vec<GraphNode> = range.map(node).collect();
        let so = tmp.join(name);
        let g = cfuncc::compile_many(ctx.registry(), &nodes, &options, None, 2, &so).unwrap();
        assert_eq!(g.compiled, nodes.len());
        std::fs::remove_file(&so).unwrap();
    };
    graph(100_000..100_040, "warm.so");
    let before = rss_kib();
    for round in 0..10 {
        graph(round * 200..(round + 1) * 200, &format!("g{round}.so"));
    }
    let grown = rss_kib().saturating_sub(before);
    eprintln!("RSS grew {} KiB over 2,000 nodes", grown);
    assert!(grown < 64 * 1024, "RSS grew {grown} KiB over 2,000 nodes");
}
