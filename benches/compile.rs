//! Compile latency, warm and in-process (design.md §8): Python source →
//! `.so` written → loaded with libloading and the node symbol resolved,
//! reusing one `CompilationContext`; and source → callable address in the
//! JIT (`compile_to_jit`, one `Jit` session), beside it.
//!
//! Before the criterion groups it prints a per-phase table: the median of
//! `CompilationResult.timings` over 30 compiles of each node, plus the time
//! to load the `.so` and the wall time of the whole thing; then source →
//! callable through the JIT and through the `.so`, alternately, with the
//! JIT's load (add the object, link it, look the symbols up) beside the
//! `.so`'s link and dlopen.
//!
//! `cargo bench --bench compile` (add `-- --quick` for a short run;
//! `CFUNCC_BENCH_TABLES_ONLY=1` prints the tables and skips criterion).

use cfuncc::{
    compile_to_jit, compile_to_so, CompilationContext, CompilationOptions, ConstValue, Constants,
    Jit,
};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "common/generate.rs"]
mod generate;

/// The sizes of the compile-scaling benchmark (issue 17), in lines.
const SCALING: [usize; 4] = [100, 1_000, 3_000, 10_000];

type NodeFn = unsafe extern "C" fn(
    *mut *mut u64,
    *mut i8,
    *mut *mut u64,
    i8,
    *mut *mut u64,
    *mut i8,
    *mut i8,
);

struct Case {
    name: &'static str,
    function: &'static str,
    source: &'static str,
    consts: Constants,
}

fn cases() -> Vec<Case> {
    let mut ema = Constants::new();
    ema.insert("alpha".into(), ConstValue::Float(0.5));
    let mut branchy = Constants::new();
    branchy.insert("lo".into(), ConstValue::Float(-1.0));
    branchy.insert("hi".into(), ConstValue::Float(2.0));
    vec![
        Case {
            name: "ema",
            function: "ema",
            source: include_str!("nodes/ema.py"),
            consts: ema,
        },
        Case {
            name: "branchy",
            function: "branchy",
            source: include_str!("nodes/branchy.py"),
            consts: branchy,
        },
        // The 4-line dict node of issue 17 and two container nodes of the
        // per-tick benchmark: they link the container runtime.
        Case {
            name: "dict",
            function: "count",
            source: include_str!("../tests/many/count.py"),
            consts: Constants::new(),
        },
        Case {
            name: "dict_acc",
            function: "dict_acc",
            source: include_str!("nodes/dict_acc.py"),
            consts: Constants::new(),
        },
        Case {
            name: "rolling_var",
            function: "rolling_var",
            source: include_str!("nodes/rolling_var.py"),
            consts: Constants::new(),
        },
        // Issue 17's 61-line order book (two dicts of levels) + VWAP (two
        // lists) node, checked against CPython by the differential suite.
        Case {
            name: "order_book",
            function: "order_book",
            source: include_str!("../tests/differential/nodes/order_book_vwap.py"),
            consts: Constants::new(),
        },
    ]
}

fn out_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench_compile");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Source → `.so` → loaded library with the node symbol resolved. Returns
/// the library (the caller drops it, which unloads it before the next
/// compile overwrites the file) and the compilation result.
fn compile_and_load(
    ctx: &CompilationContext,
    case: &Case,
    opts: &CompilationOptions,
    out: &Path,
) -> (libloading::Library, cfuncc::CompilationResult, Duration) {
    let r = compile_to_so(ctx, case.source, case.function, &case.consts, opts, out)
        .unwrap_or_else(|e| panic!("compiling {}: {e:?}", case.name));
    let t = Instant::now();
    let lib = unsafe { libloading::Library::new(out) }.expect("dlopen");
    let f: NodeFn = unsafe { *lib.get::<NodeFn>(r.native_name.as_bytes()).expect("dlsym") };
    black_box(f);
    (lib, r, t.elapsed())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn print_phase_table(ctx: &CompilationContext, cases: &[Case], opts: &CompilationOptions) {
    const N: usize = 30;
    let dir = out_dir();
    let mut columns = Vec::new();
    let mut pass_names: Vec<String> = Vec::new();
    for case in cases {
        let out = dir.join(format!("table_{}.so", case.name));
        // One warm-up compile (first-use costs in LLVM and the context).
        drop(compile_and_load(ctx, case, opts, &out));
        let mut samples: [Vec<Duration>; 9] = Default::default();
        let mut passes: Vec<(String, Vec<Duration>)> = Vec::new();
        for _ in 0..N {
            let t = Instant::now();
            let (lib, r, load) = compile_and_load(ctx, case, opts, &out);
            let wall = t.elapsed();
            drop(lib);
            let tm = &r.timings;
            for (i, d) in [
                tm.parse,
                tm.frontend,
                tm.passes,
                tm.translate,
                tm.llvm_opt,
                tm.codegen,
                tm.link,
                load,
                wall,
            ]
            .into_iter()
            .enumerate()
            {
                samples[i].push(d);
            }
            for (name, d) in &tm.per_pass {
                match passes.iter_mut().find(|(n, _)| n == name) {
                    Some(p) => p.1.push(*d),
                    None => passes.push((name.clone(), vec![*d])),
                }
            }
        }
        for (n, _) in &passes {
            if !pass_names.contains(n) {
                pass_names.push(n.clone());
            }
        }
        let passes: Vec<(String, f64)> = passes.into_iter().map(|(n, v)| (n, median(v))).collect();
        columns.push((case.name, samples.map(median), passes));
    }

    println!();
    println!(
        "compile phases, median of {N} warm in-process compiles (ms), opt level {}:",
        opts.opt_level
    );
    print!("{:<28}", "phase");
    for (name, _, _) in &columns {
        print!("{name:>12}");
    }
    println!();
    let rows = [
        "parse (timed separately)",
        "frontend (incl. parse)",
        "passes",
        "translate + IR transforms",
        "llvm opt",
        "codegen",
        "link",
        "dlopen + dlsym",
    ];
    for (i, row) in rows.iter().enumerate() {
        print!("{row:<28}");
        for (_, m, _) in &columns {
            print!("{:>12.3}", m[i]);
        }
        println!();
    }
    print!("{:<28}", "sum of medians (ex. parse)");
    for (_, m, _) in &columns {
        print!("{:>12.3}", m[1..8].iter().sum::<f64>());
    }
    println!();
    print!("{:<28}", "wall: source -> loaded .so");
    for (_, m, _) in &columns {
        print!("{:>12.3}", m[8]);
    }
    println!();
    println!("per pass:");
    for p in &pass_names {
        print!("  {p:<26}");
        for (_, _, passes) in &columns {
            let d = passes.iter().find(|(n, _)| n == p).map_or(0.0, |x| x.1);
            print!("{d:>12.3}");
        }
        println!();
    }
    println!();
}

/// Source → address in `jit`; the node is dropped (its code freed) by the
/// caller.
fn compile_into_jit(
    ctx: &CompilationContext,
    case: &Case,
    opts: &CompilationOptions,
    jit: &Jit,
) -> cfuncc::JitNode {
    let node = compile_to_jit(ctx, case.source, case.function, &case.consts, opts, jit)
        .unwrap_or_else(|e| panic!("compiling {}: {e:?}", case.name));
    black_box(node.function());
    node
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    ms(v[v.len() / 2])
}

/// Source → callable, the JIT and the `.so` path alternately (so both see
/// the same machine load), with the JIT's own phases.
fn print_jit_table(ctx: &CompilationContext, cases: &[Case], opts: &CompilationOptions) {
    const N: usize = 40;
    let jit = Jit::new().expect("JIT");
    let dir = out_dir();
    println!("source -> callable, JIT and .so alternately, median of {N} warm compiles (ms):");
    println!(
        "{:<12}{:>12}{:>12}{:>16}{:>12}{:>16}",
        "node", "JIT wall", "JIT load", ".so wall", "link", "dlopen+dlsym"
    );
    for case in cases {
        let out = dir.join(format!("alternate_{}.so", case.name));
        drop(compile_into_jit(ctx, case, opts, &jit));
        drop(compile_and_load(ctx, case, opts, &out));
        let (mut jit_wall, mut jit_load) = (Vec::new(), Vec::new());
        let (mut so_wall, mut so_link, mut so_load) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..N {
            let t = Instant::now();
            let node = compile_into_jit(ctx, case, opts, &jit);
            jit_wall.push(t.elapsed());
            jit_load.push(node.result().unwrap().timings.link);
            drop(node);
            let t = Instant::now();
            let (lib, r, load) = compile_and_load(ctx, case, opts, &out);
            so_wall.push(t.elapsed());
            so_link.push(r.timings.link);
            so_load.push(load);
            drop(lib);
        }
        println!(
            "{:<12}{:>12.3}{:>12.3}{:>16.3}{:>12.3}{:>16.3}",
            case.name,
            median(jit_wall),
            median(jit_load),
            median(so_wall),
            median(so_link),
            median(so_load)
        );
    }
    println!();
}

/// Source → `.so` for the generated node (`benches/common/generate.rs`) at
/// each of [`SCALING`]'s sizes: the best of a few compiles, and the time per
/// line, whose ratio between 10,000 and 1,000 lines says how far from linear
/// the compile is (1.0: linear).
fn print_scaling_table(ctx: &CompilationContext, opts: &CompilationOptions) {
    let dir = out_dir();
    println!("compile scaling, source -> .so (best of 3, of 2 at 10k lines):");
    println!(
        "{:>8}{:>12}{:>12}{:>12}{:>12}{:>12}{:>14}",
        "lines", "total ms", "passes", "LLVM opt", "codegen", "µs/line", "/line vs 1k"
    );
    let mut at_1k = None;
    for n in SCALING {
        let source = generate::generate(n);
        let lines = source.lines().count();
        let out = dir.join(format!("scaling_{n}.so"));
        let runs = if n >= 10_000 { 2 } else { 3 };
        let best = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let r = compile_to_so(ctx, &source, "big", &Constants::new(), opts, &out)
                    .unwrap_or_else(|e| panic!("the {n}-line node: {e:?}"));
                (t.elapsed(), r.timings)
            })
            .min_by_key(|(d, _)| *d)
            .expect("runs");
        let per_line = best.0.as_secs_f64() * 1e6 / lines as f64;
        if n == 1_000 {
            at_1k = Some(per_line);
        }
        println!(
            "{:>8}{:>12.1}{:>12.1}{:>12.1}{:>12.1}{:>12.1}{:>14}",
            lines,
            ms(best.0),
            ms(best.1.passes),
            ms(best.1.llvm_opt),
            ms(best.1.codegen),
            per_line,
            at_1k.map_or("".into(), |b| format!("{:.2}", per_line / b))
        );
    }
    println!();
}

fn bench_compile(c: &mut Criterion) {
    let ctx = CompilationContext::with_defaults().expect("context");
    let opts = CompilationOptions::default();
    let cases = cases();
    print_phase_table(&ctx, &cases, &opts);
    print_jit_table(&ctx, &cases, &opts);
    print_scaling_table(&ctx, &opts);
    if std::env::var("CFUNCC_BENCH_TABLES_ONLY").is_ok_and(|v| v == "1") {
        return;
    }

    let dir = out_dir();
    let mut g = c.benchmark_group("compile_source_to_loaded_so");
    for case in &cases {
        let out = dir.join(format!("bench_{}.so", case.name));
        g.bench_function(case.name, |b| {
            b.iter(|| {
                let (lib, r, _) = compile_and_load(&ctx, case, &opts, &out);
                drop(lib);
                r.semantic_key
            })
        });
    }
    g.finish();

    // Warm ema source → a callable address: the JIT beside the .so path
    // (compile, link, write, dlopen, dlsym). Each iteration frees its node
    // (the JIT's resource tracker, dlclose).
    let jit = Jit::new().expect("JIT");
    let ema = &cases[0];
    let out = dir.join("bench_callable_ema.so");
    let mut g = c.benchmark_group("warm_source_to_callable");
    g.bench_function("ema/jit", |b| {
        b.iter(|| compile_into_jit(&ctx, ema, &opts, &jit))
    });
    g.bench_function("ema/so+dlopen", |b| {
        b.iter(|| {
            let (lib, r, _) = compile_and_load(&ctx, ema, &opts, &out);
            drop(lib);
            r.semantic_key
        })
    });
    g.finish();

    // Compile scaling: the generated node at 100 to 10,000 lines, the
    // fewest samples criterion takes (a 10,000-line compile takes seconds).
    let mut g = c.benchmark_group("compile_scaling");
    g.sample_size(10)
        .sampling_mode(criterion::SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    for n in SCALING {
        let source = generate::generate(n);
        g.throughput(criterion::Throughput::Elements(
            source.lines().count() as u64
        ));
        let out = dir.join(format!("bench_scaling_{n}.so"));
        g.bench_function(format!("{n}_lines"), |b| {
            b.iter(|| {
                compile_to_so(&ctx, &source, "big", &Constants::new(), &opts, &out)
                    .expect("the generated node compiles")
                    .semantic_key
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4));
    targets = bench_compile
}
criterion_main!(benches);
