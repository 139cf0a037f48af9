//! The JIT gives memory back: a dropped node's code and data are freed
//! (one resource tracker per node, src/backend/jit.rs). In a test binary of
//! its own, and its tests one at a time, so nothing else grows the process
//! while one measures.

use cfuncc::runner::Value;
use cfuncc::{Compiler, Jit, Source};

const EMA: &str = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";
const MB: usize = 1 << 20;

/// Held by each test: they measure the one process's RSS.
static ALONE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// This process's resident set, in bytes.
fn rss() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[test]
fn dropping_a_node_frees_its_code() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    // A node with some code: the container runtime and a few loops. The
    // result's IR text is not the JIT's memory.
    let src = include_str!("../benches/nodes/rolling_var.py");
    let mut obj = compiler
        .compile_to_object(&Source::new(src, "rolling_var"))
        .unwrap();
    obj.result.llvm_ir = None;
    obj.result.llvm_ir_unoptimized = None;
    for _ in 0..50 {
        drop(jit.add_object(&obj).unwrap());
    }
    // Loaded and dropped 2000 times: the memory comes back.
    let before = rss();
    for _ in 0..2000 {
        let n = jit.add_object(&obj).unwrap();
        assert!(!n.function().is_null());
    }
    let dropped = rss().saturating_sub(before);
    assert_eq!(jit.dylibs_created(), 1);
    // Kept, the same loads grow the process (a page of code and one of
    // data each, at least): the measurement sees what dropping frees.
    let before = rss();
    let kept: Vec<_> = (0..2000).map(|_| jit.add_object(&obj).unwrap()).collect();
    let grown = rss().saturating_sub(before);
    drop(kept);
    println!(
        "2000 loads of a {}-byte object: dropped {:.1} MB, kept {:.1} MB",
        obj.bytes.len(),
        dropped as f64 / MB as f64,
        grown as f64 / MB as f64
    );
    assert!(grown > 8 * MB, "kept nodes grew RSS by {grown} bytes only");
    assert!(
        dropped < 2 * MB,
        "dropped nodes grew RSS by {dropped} bytes"
    );
}

#[test]
fn compiling_and_dropping_300_nodes_does_not_grow() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let ema = |alpha: f64| Source::new(EMA, "ema").constant("alpha", alpha);
    for i in 0..30 {
        drop(compiler.compile_to_jit(&ema(i as f64), &jit).unwrap());
    }
    let before = rss();
    for i in 0..300 {
        let n = compiler
            .compile_to_jit(&ema(1.0 / (i + 2) as f64), &jit)
            .unwrap();
        let mut r = n.runner().unwrap();
        r.start().unwrap();
        assert_eq!(
            r.execute(&[Value::Float(0.0)], &[], &[]).unwrap(),
            [Some(Value::Float(0.0))]
        );
    }
    let grown = rss().saturating_sub(before);
    println!(
        "300 compiles into the JIT, each dropped: RSS {:+.1} MB",
        grown as f64 / MB as f64
    );
    assert_eq!(jit.dylibs_created(), 1);
    assert!(grown < 16 * MB, "RSS grew by {grown} bytes");
}
