//! Pass scaling (design.md §8, issue 5): the `cfunc-opt` round trip (parse
//! and print the cfunc IR) and every pass of the default pipeline, on
//! generated nodes of 100 to 10,000 lines.
//!
//! Before the criterion groups it prints two tables:
//! * the per-pass time on the 500-line node;
//! * each pass at 100, 1,000, 5,000 and 10,000 lines, with its time per
//!   line and the 10k/5k ratio. The IR of the small nodes fits in the
//!   caches and that of the large ones does not, so the time per line of
//!   even a linear pass rises from 1,000 to 5,000 lines; past that it stays
//!   flat: a linear pass doubles from 5k to 10k lines, a quadratic one
//!   quadruples. A ratio above 3 is flagged "not linear".
//!
//! Each pass is timed alone on the IR the previous passes produced (parsed
//! afresh for every run, not timed), as `cfunc-opt --emit-stage` would give
//! it. The generated nodes are written to `target/tmp/bench_passes/`, so
//! `cfunc-opt gen_500.py --function big --emit-stage llvm-dialect
//! --mlir-timing` shows the same table for one run.
//!
//! `cargo bench --bench passes` (add `-- --quick` for a short run;
//! `CFUNCC_BENCH_TABLES_ONLY=1` prints the tables and skips criterion).

use cfuncc::dialect::ir::Operation;
use cfuncc::passes::{self, PassInfo, RunOptions, Step};
use cfuncc::{CompilationContext, SourceMap};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use melior::ir::Module;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "common/generate.rs"]
mod generate;
use generate::generate;

/// The generated node of `lines` lines, lowered: the cfunc IR as
/// `cfunc-opt` prints it, and for each pass the IR it starts from (with
/// locations, so the faults keep their Python lines).
struct Stages {
    /// The size asked for.
    nominal: usize,
    /// The generated node's lines.
    lines: usize,
    cfunc: String,
    inputs: Vec<(&'static PassInfo, String)>,
}

fn stages(ctx: &CompilationContext, lines: usize) -> Stages {
    let source = generate(lines);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench_passes");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let file = dir.join(format!("gen_{lines}.py"));
    std::fs::write(&file, &source).expect("write the generated node");
    let map = SourceMap::new(&file.display().to_string(), &source);
    let (module, _, _) =
        cfuncc::frontend::lower(ctx, &map, "big", &HashMap::new()).expect("the node compiles");
    let op = Operation::of_module(&module);
    let cfunc = passes::print_with(op, false, false);
    let mut inputs = Vec::new();
    for p in passes::PASSES {
        inputs.push((p, passes::print_with(op, true, true)));
        passes::run_steps(ctx, op, &[Step::Cfunc(p)], &RunOptions::default()).unwrap_or_else(|f| {
            panic!("{} failed on the {lines}-line node: {:?}", p.name, f.diags)
        });
    }
    Stages {
        nominal: lines,
        lines: source.lines().count(),
        cfunc,
        inputs,
    }
}

/// Parses the cfunc IR and prints it back.
fn round_trip(ctx: &CompilationContext, text: &str) -> Duration {
    let t = Instant::now();
    let m = Module::parse(ctx.mlir(), text).expect("cfunc IR parses");
    let printed = passes::print_with(Operation::of_module(&m), false, true);
    let d = t.elapsed();
    assert_eq!(printed, text, "the round trip changed the IR");
    d
}

/// Runs one pass on a fresh copy of `input`; the time of the pass alone.
fn time_pass(ctx: &CompilationContext, pass: &'static PassInfo, input: &str) -> Duration {
    let m = Module::parse(ctx.mlir(), input).expect("stage IR parses");
    let r = passes::run_steps(
        ctx,
        Operation::of_module(&m),
        &[Step::Cfunc(pass)],
        &RunOptions::default(),
    )
    .unwrap_or_else(|f| panic!("{}: {:?}", pass.name, f.diags));
    r.passes[0].time
}

/// The fastest of `runs` measurements (the least disturbed by the machine).
fn best(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| f()).min().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Rows: the round trip, then each pass; one time per stage set.
fn measure(ctx: &CompilationContext, s: &Stages, runs: usize) -> Vec<(&'static str, Duration)> {
    let mut rows = vec![(
        "round trip (parse + print)",
        best(runs, || round_trip(ctx, &s.cfunc)),
    )];
    for (p, input) in &s.inputs {
        rows.push((p.name, best(runs, || time_pass(ctx, p, input))));
    }
    rows
}

fn print_tables(ctx: &CompilationContext, sets: &[Stages]) {
    let at = |n: usize| {
        sets.iter()
            .find(|s| s.nominal == n)
            .expect("size generated")
    };
    let s500 = at(500);
    let rows = measure(ctx, s500, 10);
    let total: Duration = rows.iter().skip(1).map(|(_, d)| *d).sum();
    println!();
    println!(
        "per-pass time on the {}-line node (best of 10, ms; each pass alone on its input):",
        s500.lines
    );
    for (name, d) in &rows {
        println!("  {name:<28}{:>10.3}", ms(*d));
    }
    println!("  {:<28}{:>10.3}", "passes total", ms(total));

    let sizes = [at(100), at(1000), at(5000), at(10000)];
    let measured: Vec<Vec<(&str, Duration)>> = sizes
        .iter()
        .map(|s| measure(ctx, s, if s.lines > 2000 { 3 } else { 10 }))
        .collect();
    println!();
    println!("scaling (best of 10, of 3 from 5k lines; ms, then µs per line):");
    print!("  {:<28}", "");
    for s in &sizes {
        print!("{:>11}", format!("{} l", s.lines));
    }
    for s in &sizes {
        print!("{:>9}", format!("/l {}", s.nominal));
    }
    println!("{:>9}", "10k/5k");
    for (i, (name, _)) in measured[0].iter().enumerate() {
        print!("  {name:<28}");
        for m in &measured {
            print!("{:>11.3}", ms(m[i].1));
        }
        for (m, s) in measured.iter().zip(&sizes) {
            print!("{:>9.2}", m[i].1.as_secs_f64() * 1e6 / s.lines as f64);
        }
        let ratio = measured[3][i].1.as_secs_f64() / measured[2][i].1.as_secs_f64().max(1e-12);
        let note = if ratio > 3.0 { "  not linear" } else { "" };
        println!("{ratio:>9.1}{note}");
    }
    println!();
}

fn bench_passes(c: &mut Criterion) {
    let ctx = CompilationContext::with_defaults().expect("context");
    let sets: Vec<Stages> = [100, 500, 1000, 5000, 10000]
        .into_iter()
        .map(|n| stages(&ctx, n))
        .collect();
    print_tables(&ctx, &sets);
    if std::env::var("CFUNCC_BENCH_TABLES_ONLY").is_ok_and(|v| v == "1") {
        return;
    }
    let scaling: Vec<&Stages> = sets
        .iter()
        .filter(|s| [100, 1000, 10000].contains(&s.nominal))
        .collect();
    let mut g = c.benchmark_group("roundtrip");
    g.sample_size(10);
    for s in &scaling {
        g.throughput(Throughput::Elements(s.lines as u64));
        g.bench_with_input(BenchmarkId::from_parameter(s.lines), &s.cfunc, |b, text| {
            b.iter_custom(|iters| (0..iters).map(|_| round_trip(&ctx, text)).sum())
        });
    }
    g.finish();
    for (i, p) in passes::PASSES.iter().enumerate() {
        let mut g = c.benchmark_group(format!("pass/{}", p.name));
        g.sample_size(10);
        for s in &scaling {
            let input = &s.inputs[i].1;
            g.throughput(Throughput::Elements(s.lines as u64));
            g.bench_with_input(BenchmarkId::from_parameter(s.lines), input, |b, input| {
                b.iter_custom(|iters| (0..iters).map(|_| time_pass(&ctx, p, input)).sum())
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench_passes);
criterion_main!(benches);
