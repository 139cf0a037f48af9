//! Many nodes in one go (issue 15): 50 distinct small nodes compiled by one
//! `cfuncc compile-many` process, beside 50 `cfuncc compile` processes run
//! one after another, both from a cold (empty) cache; and compile-many
//! again with a warm cache and one node changed.
//!
//! `cargo bench --bench many` (add `-- --quick` for a short run).

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

const NODES: usize = 50;

/// Node `i`: one of five shapes (float state, int counter, dict count, list
/// window, branches), each with its own constants, so no two nodes compile
/// to the same code.
fn node_source(i: usize, salt: u64) -> String {
    let a = 1.0 / (i as f64 + 2.0) + salt as f64 * 1e-9;
    match i % 5 {
        0 => format!(
            "def n{i}(x: Signal[float]) -> Signal[float]:\n    s: State[float] = 0.0\n    s = {a:?} * x + (1.0 - {a:?}) * s\n    return s\n"
        ),
        1 => format!(
            "def n{i}(x: Signal[int]) -> Signal[int]:\n    c: State[int] = 0\n    c = c + x * {k}\n    return c % {m}\n",
            k = i + 1 + salt as usize,
            m = 97 + i
        ),
        2 => format!(
            "def n{i}(x: Signal[int]) -> Signal[int]:\n    seen: State[NumbaDict] = create_new_dict(int, int)\n    seen[x] = seen.get(x, {k}) + 1\n    return seen[x]\n",
            k = i + salt as usize
        ),
        3 => format!(
            "def n{i}(x: Signal[float]) -> Signal[float]:\n    w: State[NumbaList] = create_new_list(float)\n    w.append(x)\n    if len(w) > {n}:\n        w.pop(0)\n    return sum(w) / len(w)\n",
            n = 4 + i + salt as usize
        ),
        _ => format!(
            "def n{i}(x: Signal[float], y: Signal[float]) -> Signal[float]:\n    if x > y * {a:?}:\n        return x - y\n    return y + {a:?}\n"
        ),
    }
}

fn write_graph(dir: &Path, salt_of: impl Fn(usize) -> u64) -> PathBuf {
    let mut toml = String::new();
    for i in 0..NODES {
        let file = dir.join(format!("n{i}.py"));
        std::fs::write(&file, node_source(i, salt_of(i))).unwrap();
        toml += &format!("[[node]]\nfile = \"n{i}.py\"\nfunction = \"n{i}\"\n\n");
    }
    let graph = dir.join("graph.toml");
    std::fs::write(&graph, toml).unwrap();
    graph
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run cfuncc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn bench(c: &mut Criterion) {
    let cfuncc = env!("CARGO_BIN_EXE_cfuncc");
    let scratch = tempfile::Builder::new()
        .prefix("cfuncc-bench-many-")
        .tempdir()
        .unwrap();
    let dir = scratch.path();
    let graph = write_graph(dir, |_| 0);
    let fresh = AtomicU64::new(0);
    let cold_cache = || {
        let d = dir.join(format!("cache{}", fresh.fetch_add(1, Ordering::Relaxed)));
        let _ = std::fs::remove_dir_all(&d);
        d
    };
    let mut g = c.benchmark_group("many");
    g.sample_size(10);
    g.bench_function("50_compile_processes_cold", |b| {
        b.iter(|| {
            let cache = cold_cache();
            for i in 0..NODES {
                run(Command::new(cfuncc)
                    .arg("compile")
                    .arg(dir.join(format!("n{i}.py")))
                    .args(["--function", &format!("n{i}")])
                    .arg("-o")
                    .arg(dir.join(format!("n{i}.so")))
                    .arg("--cache-dir")
                    .arg(&cache));
            }
            let _ = std::fs::remove_dir_all(&cache);
        })
    });
    g.bench_function("compile_many_50_cold", |b| {
        b.iter(|| {
            let cache = cold_cache();
            run(Command::new(cfuncc)
                .arg("compile-many")
                .arg(&graph)
                .arg("-o")
                .arg(dir.join("graph.so"))
                .arg("--cache-dir")
                .arg(&cache));
            let _ = std::fs::remove_dir_all(&cache);
        })
    });
    // A warm cache, then node 7 changed on every iteration (a new constant
    // each time, so it is always a miss and the 49 others always hits).
    let warm = dir.join("warm-cache");
    run(Command::new(cfuncc)
        .arg("compile-many")
        .arg(&graph)
        .arg("-o")
        .arg(dir.join("graph.so"))
        .arg("--cache-dir")
        .arg(&warm));
    let salt = AtomicU64::new(1);
    g.bench_function("compile_many_50_warm_one_changed", |b| {
        b.iter(|| {
            let s = salt.fetch_add(1, Ordering::Relaxed);
            std::fs::write(dir.join("n7.py"), node_source(7, s)).unwrap();
            run(Command::new(cfuncc)
                .arg("compile-many")
                .arg(&graph)
                .arg("-o")
                .arg(dir.join("graph.so"))
                .arg("--cache-dir")
                .arg(&warm));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
