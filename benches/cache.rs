//! The compile cache (issue 15): ema source → `.so` written → loaded with
//! libloading and the node symbol resolved, on a cache hit, beside the same
//! with the cache off (a cold compile every time), in one run and one
//! process with a warm `CompilationContext`.
//!
//! `cargo bench --bench cache` (add `-- --quick` for a short run).

use cfuncc::driver::cache::{self, compile_to_so_cached, Cache, Outcome};
use cfuncc::{CompilationContext, CompilationOptions, ConstValue, Constants};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::Path;

const EMA: &str = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";

fn load(so: &Path, symbol: &str) -> libloading::Library {
    // Safety: the .so is a cfuncc node with no initialisers.
    let lib = unsafe { libloading::Library::new(so) }.expect("load the .so");
    let f = unsafe { lib.get::<unsafe extern "C" fn()>(symbol.as_bytes()) }.expect("node symbol");
    black_box(*f as usize);
    lib
}

fn bench(c: &mut Criterion) {
    let ctx = CompilationContext::with_defaults().unwrap();
    let mut consts = Constants::new();
    consts.insert("alpha".into(), ConstValue::Float(0.5));
    let opts = CompilationOptions::default();
    let scratch = tempfile::Builder::new()
        .prefix("cfuncc-bench-cache-")
        .tempdir()
        .unwrap();
    let dir = scratch.path();
    let store = Cache::new(dir.join("cache"), cache::DEFAULT_MAX_BYTES);
    let first = compile_to_so_cached(
        &ctx,
        Some(&store),
        EMA,
        "ema",
        &consts,
        &opts,
        &dir.join("warm.so"),
    )
    .unwrap();
    assert_eq!(first.outcome, Outcome::Miss);
    let symbol = first.manifest["native_name"].as_str().unwrap().to_string();
    let mut g = c.benchmark_group("cache");
    let mut n = 0u64;
    g.bench_function("ema_hit_source_to_callable", |b| {
        b.iter(|| {
            // A new path each time: dlopen would hand back an open library.
            n += 1;
            let so = dir.join(format!("hit{n}.so"));
            let r =
                compile_to_so_cached(&ctx, Some(&store), EMA, "ema", &consts, &opts, &so).unwrap();
            assert_eq!(r.outcome, Outcome::Hit);
            drop(load(&so, &symbol));
            let _ = std::fs::remove_file(&so);
        })
    });
    g.bench_function("ema_cold_source_to_callable", |b| {
        b.iter(|| {
            n += 1;
            let so = dir.join(format!("cold{n}.so"));
            let r = compile_to_so_cached(&ctx, None, EMA, "ema", &consts, &opts, &so).unwrap();
            assert_eq!(r.outcome, Outcome::Uncached);
            drop(load(&so, &symbol));
            let _ = std::fs::remove_file(&so);
        })
    });
    g.bench_function("ema_key_only", |b| {
        b.iter(|| black_box(cache::key(&ctx, EMA, "ema", &consts, &opts).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
