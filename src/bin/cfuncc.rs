//! `cfuncc compile` and `cfuncc run` (design.md §6).
//!
//! `cfuncc run --jit FILE.py --function F [--const ...]` compiles in
//! process (the ORC JIT, the same object as the `.so`) and replays the
//! ticks as `cfuncc run OUT.so` does.
//!
//! `cfuncc compile --timings` prints the time of every phase (parse,
//! frontend, each pass, the verification, translate, LLVM passes, codegen,
//! link) and the linker that ran to stderr; `--verify-each` verifies after
//! every pass instead of once after the pipeline; a note on stderr says when the builtin linker
//! declined the object and `ld` linked it.
//! With `CFUNCC_DUMP_DIR=dir` set, `cfuncc compile` writes every stage into
//! `dir`, numbered in pipeline order: `00-cfunc.mlir`, one file after each
//! pass, the llvm dialect, LLVM IR before and after optimisation, and the
//! assembly. Neither changes the generated code.

use cfuncc::driver::cache::{compile_to_so_cached, Cache, Remote};
use cfuncc::runner::{Node, Value};
use cfuncc::tools::{bench::BenchArgs, options::CodeOptions};
use cfuncc::{
    compile_to_mlir_timed, compile_to_object, frontend::literal::parse_const_arg,
    CompilationContext, CompilationOptions, Constants, Error, Jit, Linker, Stage, Timings,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::Value as Json;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "cfuncc",
    version,
    about = "Compile typed Python nodes to native C-ABI functions"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Emit {
    Cfunc,
    LlvmDialect,
    LlvmIr,
    /// LLVM IR before LLVM's optimisation pipeline.
    LlvmIrUnopt,
    Obj,
    So,
}

/// `--linker`: how the shared object is linked (never changes the code).
#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum LinkerArg {
    /// In process; falls back to `ld` for an object it does not support.
    Builtin,
    /// `ld -shared`.
    System,
}

#[derive(Subcommand, Clone, Copy)]
enum CacheAction {
    /// The number of entries and their size.
    Stats,
    /// Remove every entry.
    Clear,
}

#[derive(Subcommand)]
enum Cmd {
    /// Compile FILE.py's function to a shared object and its manifest.
    Compile {
        file: PathBuf,
        #[arg(long)]
        function: String,
        /// NAME=VALUE, VALUE a Python literal.
        #[arg(long = "const")]
        consts: Vec<String>,
        /// Where to write: the .so (default FUNCTION.so, its manifest beside
        /// it as .json), or the emitted text/object (default stdout).
        #[arg(short = 'o')]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "so")]
        emit: Emit,
        #[command(flatten)]
        code: CodeOptions,
        #[arg(long)]
        timings: bool,
        #[arg(long, value_enum, default_value = "builtin")]
        linker: LinkerArg,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Show or empty the compile cache.
    Cache {
        #[command(subcommand)]
        action: CacheAction,
        /// The cache's directory (default as for compile).
        #[arg(long = "cache-dir", global = true)]
        cache_dir: Option<PathBuf>,
    },
    /// Drive a compiled node with JSON-lines ticks from stdin: a .so, or
    /// with --jit a Python file compiled in process.
    Run {
        /// The .so (or, with --jit, FILE.py).
        so: PathBuf,
        #[arg(long, conflicts_with = "jit")]
        manifest: Option<PathBuf>,
        /// A shared library loaded first with RTLD_GLOBAL, to provide the
        /// node's @extern functions (repeatable).
        #[arg(long)]
        preload: Vec<PathBuf>,
        /// Compile FILE.py's --function into this process (the ORC JIT)
        /// and run it, with no file written.
        #[arg(long)]
        jit: bool,
        /// With --jit: the node function.
        #[arg(long, requires = "jit")]
        function: Option<String>,
        /// With --jit: NAME=VALUE, VALUE a Python literal.
        #[arg(long = "const", requires = "jit")]
        consts: Vec<String>,
        /// With --jit: the options of `cfuncc compile`.
        #[command(flatten)]
        code: CodeOptions,
        /// For a graph's .so (compile-many): the node to drive.
        #[arg(long)]
        node: Option<String>,
        /// With --jit: compile even when the cache has the node.
        #[arg(long = "no-cache", requires = "jit")]
        no_cache: bool,
        /// With --jit: the compile cache's directory (as for compile).
        #[arg(long = "cache-dir", requires = "jit")]
        cache_dir: Option<PathBuf>,
    },
    /// Compile FILE.py's function once per --variant and run every variant
    /// (and a hand-written C version) on the same ticks through the C ABI:
    /// ns/tick, code size, and whether the outputs agree.
    Bench(BenchArgs),
    /// Compile every node of GRAPH.toml in parallel into one shared object
    /// and one manifest (GRAPH.json beside it).
    CompileMany {
        graph: PathBuf,
        /// The .so to write (default: GRAPH.so).
        #[arg(short = 'o')]
        out: Option<PathBuf>,
        /// The options of `cfuncc compile`, for every node.
        #[command(flatten)]
        code: CodeOptions,
        /// Worker threads (default: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Print where the time went: each phase summed over the compiled
        /// nodes, the workers' contexts, the cache, and the link.
        #[arg(long)]
        timings: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
}

/// The compile cache's options, shared by `compile` and `compile-many`.
#[derive(Args)]
struct CacheArgs {
    /// Compile even when the cache has the node, and do not store it
    /// (for --emit so; CFUNCC_CACHE=off does the same).
    #[arg(long = "no-cache")]
    no_cache: bool,
    /// The compile cache's directory (default: $CFUNCC_CACHE_DIR, else
    /// $XDG_CACHE_HOME/cfuncc, else ~/.cache/cfuncc); turns the cache on
    /// even with CFUNCC_CACHE=off.
    #[arg(long = "cache-dir")]
    cache_dir: Option<PathBuf>,
    /// A shared remote cache, redis://HOST:PORT (default:
    /// $CFUNCC_CACHE_REMOTE); its entries are authenticated with
    /// $CFUNCC_CACHE_SECRET, without which it stays off.
    #[arg(long = "cache-remote")]
    cache_remote: Option<String>,
}

impl CacheArgs {
    fn cache(self) -> Option<Cache> {
        cache_for(self.no_cache, self.cache_dir, self.cache_remote)
    }
}

fn main() {
    let (status, loads_user_code) = status();
    if loads_user_code {
        // `run` and `bench` load the user's code (a node's `.so`, `--preload`
        // libraries, hand-written C), whose destructors and exit handlers
        // may matter: a normal exit.
        std::process::exit(status.into())
    }
    leave(status)
}

/// Leaves the process once everything is written (the commands that load
/// no user code), without the teardown of a normal exit: the destructors
/// of what LLVM and MLIR built for the whole process (~1,800 command-line
/// option objects, the registries, the contexts' uniquing tables and the
/// cached target machines), one object at a time, ~1 ms of every compile. The kernel frees the memory at once.
/// Every file a command writes is closed when the command returns; the
/// standard streams are flushed here.
fn leave(status: u8) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    unsafe extern "C" {
        fn _exit(status: i32) -> !;
    }
    // SAFETY: _exit only ends the process.
    unsafe { _exit(status as i32) }
}

/// Runs the command; its exit status, and whether the command loaded the
/// user's code.
fn status() -> (u8, bool) {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return (if e.use_stderr() { 2 } else { 0 }, false);
        }
    };
    let loads_user_code = matches!(cli.cmd, Cmd::Run { .. } | Cmd::Bench(_));
    let r = match cli.cmd {
        Cmd::Compile {
            file,
            function,
            consts,
            out,
            emit,
            code,
            timings,
            linker,
            cache,
        } => compile(
            file,
            function,
            consts,
            out,
            emit,
            &code,
            match linker {
                LinkerArg::Builtin => Linker::Builtin,
                LinkerArg::System => Linker::System,
            },
            timings,
            cache.cache(),
        ),
        Cmd::Cache { action, cache_dir } => cache_cmd(action, cache_dir),
        Cmd::Run {
            so,
            manifest,
            preload,
            jit,
            function,
            consts,
            code,
            node,
            no_cache,
            cache_dir,
        } => {
            if jit {
                if node.is_some() {
                    Err(Error::Usage(
                        "--node picks a node of a graph's .so; with --jit give --function".into(),
                    ))
                } else {
                    let cache = cache_for(no_cache, cache_dir, None);
                    run_jit(so, function, consts, &code, preload, cache)
                }
            } else if code.any_given() {
                Err(Error::Usage(
                    "the compile options of `cfuncc run` need --jit (a .so is already compiled)"
                        .into(),
                ))
            } else {
                run(so, manifest, preload, node)
            }
        }
        Cmd::CompileMany {
            graph,
            out,
            code,
            threads,
            timings,
            cache,
        } => compile_many_cmd(graph, out, &code, threads, timings, cache.cache()),
        Cmd::Bench(args) => CompilationContext::with_defaults()
            .and_then(|ctx| cfuncc::tools::bench::bench(&ctx, &args))
            .map(|report| cfuncc::tools::bench::print_report(&report, args.json)),
    };
    let status = match r {
        Ok(()) => 0,
        Err(e) => cfuncc::tools::report("cfuncc", e),
    };
    (status, loads_user_code)
}

#[allow(clippy::too_many_arguments)]
/// What every compile starts from: the source, a context, the constants
/// and the options.
struct Prepared {
    source: String,
    /// Not destroyed: the process ends soon after ([`leave`]).
    ctx: std::mem::ManuallyDrop<CompilationContext>,
    args: Constants,
    options: CompilationOptions,
}

fn prepare(
    file: &Path,
    consts: Vec<String>,
    code: &CodeOptions,
    linker: Linker,
) -> cfuncc::Result<Prepared> {
    let source = std::fs::read_to_string(file)
        .map_err(|e| Error::Usage(format!("{}: {e}", file.display())))?;
    let mut options = code.options(linker);
    options.filename = file.display().to_string();
    let ctx = code.context()?;
    code.check_pipeline(&ctx)?;
    let mut args = Constants::new();
    for c in consts {
        let (name, v) = parse_const_arg(&ctx, &c).map_err(Error::Usage)?;
        args.insert(name, v);
    }
    if let Some(dir) = std::env::var_os("CFUNCC_DUMP_DIR").filter(|d| !d.is_empty()) {
        options.dump_dir = Some(PathBuf::from(dir));
    }
    Ok(Prepared {
        source,
        ctx: std::mem::ManuallyDrop::new(ctx),
        args,
        options,
    })
}

#[allow(clippy::too_many_arguments)]
fn compile(
    file: PathBuf,
    function: String,
    consts: Vec<String>,
    out: Option<PathBuf>,
    emit: Emit,
    code: &CodeOptions,
    linker: Linker,
    timings: bool,
    cache: Option<Cache>,
) -> cfuncc::Result<()> {
    if let Some(out) = &out {
        check_output_path(out)?;
    }
    let Prepared {
        source,
        ctx,
        args,
        options,
    } = prepare(&file, consts, code, linker)?;
    // `-o FILE` for every emit; text and objects go to stdout without it.
    let write_out = |bytes: &[u8]| -> std::io::Result<()> {
        match &out {
            Some(path) => std::fs::write(path, bytes),
            None => std::io::stdout().lock().write_all(bytes),
        }
    };
    let t = Instant::now();
    match emit {
        Emit::Cfunc | Emit::LlvmDialect => {
            let stage = if emit == Emit::Cfunc {
                Stage::Cfunc
            } else {
                Stage::LlvmDialect
            };
            let (text, t) =
                compile_to_mlir_timed(&ctx, &source, &function, &args, &options, stage)?;
            write_out(format!("{text}\n").as_bytes())?;
            if timings {
                print_timings(&t, None);
            }
        }
        Emit::LlvmIr | Emit::LlvmIrUnopt => {
            let obj = compile_to_object(&ctx, &source, &function, &args, &options)?;
            warn(&obj.result.warnings);
            let ir = if emit == Emit::LlvmIr {
                obj.result.llvm_ir
            } else {
                obj.result.llvm_ir_unoptimized
            };
            write_out(ir.unwrap_or_default().as_bytes())?;
            if timings {
                print_timings(&obj.result.timings, None);
            }
        }
        Emit::Obj => {
            let obj = compile_to_object(&ctx, &source, &function, &args, &options)?;
            warn(&obj.result.warnings);
            write_out(&obj.bytes)?;
            if timings {
                print_timings(&obj.result.timings, None);
            }
        }
        Emit::So => {
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{function}.so")));
            let c = compile_to_so_cached(
                &ctx,
                cache.as_ref(),
                &source,
                &function,
                &args,
                &options,
                &out,
            )?;
            warn(&c.warnings);
            let manifest = out.with_extension("json");
            std::fs::write(
                &manifest,
                serde_json::to_string_pretty(&c.manifest).unwrap_or_default() + "\n",
            )?;
            match &c.result {
                Some(r) => {
                    if let Some(why) = &r.link_fallback {
                        eprintln!("cfuncc: note: linked with the system linker (ld): {why}");
                    }
                    if timings {
                        print_timings(&r.timings, Some(t.elapsed()));
                        eprintln!("linker: {}", r.linker_used);
                    }
                }
                None if timings => eprintln!(
                    "cache hit: {:.3} ms (from {}; --no-cache to compile)",
                    t.elapsed().as_secs_f64() * 1e3,
                    cache
                        .as_ref()
                        .map_or(String::new(), |c| c.dir().display().to_string())
                ),
                None => {}
            }
        }
    }
    Ok(())
}

/// The compile cache `cfuncc compile` uses: none with `--no-cache` or
/// `CFUNCC_CACHE=off` (unless `--cache-dir` names one), else the given or
/// default directory.
fn cache_for(no_cache: bool, dir: Option<PathBuf>, remote: Option<String>) -> Option<Cache> {
    if no_cache {
        return None;
    }
    let off = std::env::var("CFUNCC_CACHE").is_ok_and(|v| v == "off" || v == "0");
    if off && dir.is_none() {
        return None;
    }
    let dir = dir.or_else(Cache::default_dir)?;
    let cache = Cache::new(dir, cache_max_bytes());
    Some(match Remote::from_env(remote.as_deref()) {
        Some(r) => cache.with_remote(r),
        None => cache,
    })
}

/// `CFUNCC_CACHE_MAX_MB`, else 1 GiB.
fn cache_max_bytes() -> u64 {
    std::env::var("CFUNCC_CACHE_MAX_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(cfuncc::driver::cache::DEFAULT_MAX_BYTES, |mb| mb << 20)
}

/// `cfuncc cache stats` and `cfuncc cache clear`.
fn cache_cmd(action: CacheAction, dir: Option<PathBuf>) -> cfuncc::Result<()> {
    let Some(dir) = dir.or_else(Cache::default_dir) else {
        return Err(Error::Usage(
            "no cache directory: set CFUNCC_CACHE_DIR or HOME, or pass --cache-dir".into(),
        ));
    };
    let cache = Cache::new(dir, cache_max_bytes());
    match action {
        CacheAction::Stats => {
            let s = cache.stats();
            println!(
                "{}: {} entries, {:.1} MB (bound {:.0} MB)",
                cache.dir().display(),
                s.entries,
                s.bytes as f64 / 1e6,
                cache_max_bytes() as f64 / 1e6
            );
        }
        CacheAction::Clear => {
            let n = cache.clear()?;
            println!("{}: removed {n} entries", cache.dir().display());
        }
    }
    Ok(())
}

/// `-o PATH` must name a file in an existing directory: checked before
/// compiling, so a typo is a usage error (exit 2) rather than a failed
/// write after the work (which the library reports as an internal error).
fn check_output_path(out: &Path) -> cfuncc::Result<()> {
    let bad = |why: String| Err(Error::Usage(format!("-o {}: {why}", out.display())));
    if out.is_dir() {
        return bad("is a directory; give a file name".into());
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return bad(format!("{} is not an existing directory", dir.display()));
    }
    Ok(())
}

fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("cfuncc: warning: {w}");
    }
}

/// The per-phase table of `--timings`, in milliseconds, to stderr. `wall`
/// is the whole compile as the caller saw it (context creation excluded).
fn print_timings(t: &Timings, wall: Option<Duration>) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut rows: Vec<(String, Duration)> = vec![
        ("parse".into(), t.parse),
        (
            "frontend (ex. parse)".into(),
            t.frontend.saturating_sub(t.parse),
        ),
    ];
    rows.extend(t.per_pass.iter().map(|(n, d)| (format!("  {n}"), *d)));
    rows.push(("passes".into(), t.passes));
    rows.extend([
        ("translate + IR transforms".into(), t.translate),
        ("LLVM passes".into(), t.llvm_opt),
        ("codegen".into(), t.codegen),
        ("link".into(), t.link),
    ]);
    let total = t.frontend + t.passes + t.translate + t.llvm_opt + t.codegen + t.link;
    let mut out = format!("{:<34}{:>10}\n", "phase", "ms");
    for (name, d) in rows {
        out += &format!("{name:<34}{:>10.3}\n", ms(d));
    }
    out += &format!("{:<34}{:>10.3}\n", "total", ms(total));
    if let Some(w) = wall {
        out += &format!("{:<34}{:>10.3}\n", "wall (incl. manifest)", ms(w));
    }
    eprint!("{out}");
}

fn flags(line: &Json, key: &str) -> Vec<bool> {
    line[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| {
                    v.as_bool()
                        .or_else(|| v.as_i64().map(|i| i != 0))
                        .unwrap_or(true)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `cfuncc compile-many`: the graph's .so and its manifest.
fn compile_many_cmd(
    graph: PathBuf,
    out: Option<PathBuf>,
    code: &CodeOptions,
    threads: usize,
    timings: bool,
    cache: Option<Cache>,
) -> cfuncc::Result<()> {
    let options = code.options(Linker::Builtin);
    let ctx = code.context()?;
    code.check_pipeline(&ctx)?;
    let nodes = cfuncc::driver::many::read_graph(&ctx, &graph)?;
    let out = out.unwrap_or_else(|| graph.with_extension("so"));
    check_output_path(&out)?;
    let t = Instant::now();
    let g = cfuncc::compile_many(
        ctx.registry(),
        &nodes,
        &options,
        cache.as_ref(),
        threads,
        &out,
    )?;
    warn(&g.warnings);
    std::fs::write(
        out.with_extension("json"),
        serde_json::to_string_pretty(&g.manifest).unwrap_or_default() + "\n",
    )?;
    eprintln!(
        "compile-many: {} nodes ({} compiled, {} from the cache) in {:.1} ms -> {}",
        nodes.len(),
        g.compiled,
        g.cached,
        t.elapsed().as_secs_f64() * 1e3,
        out.display()
    );
    if timings {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let m = &g.timings;
        eprintln!(
            "nodes' phases, summed over the {} compiled nodes:",
            g.compiled
        );
        print_timings(&m.nodes, None);
        eprintln!(
            "{:<34}{:>10.3}\n{:<34}{:>10.3}\n{:<34}{:>10.3}\n{:<34}{:>10.3}",
            format!("contexts ({} workers, summed)", m.workers),
            ms(m.contexts),
            "cache (keys, reads, writes)",
            ms(m.cache),
            "workers, wall",
            ms(m.compile_wall),
            "merge + link the .so, wall",
            ms(m.link)
        );
    }
    Ok(())
}

fn run(
    so: PathBuf,
    manifest: Option<PathBuf>,
    preload: Vec<PathBuf>,
    node_name: Option<String>,
) -> cfuncc::Result<()> {
    let _preloaded = preload
        .iter()
        .map(|p| cfuncc::runner::preload(p))
        .collect::<cfuncc_host::Result<Vec<_>>>()?;
    let manifest_path = manifest.unwrap_or_else(|| so.with_extension("json"));
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| Error::Usage(format!("{}: {e}", manifest_path.display())))?;
    let manifest: Json = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: {e}", manifest_path.display())))?;
    // A graph's manifest lists its nodes; --node picks one.
    let manifest = match (manifest.get("nodes").and_then(Json::as_array), node_name) {
        (Some(nodes), Some(name)) => nodes
            .iter()
            .find(|n| n["name"] == name.as_str())
            .map(|n| n["manifest"].clone())
            .ok_or_else(|| {
                let names: Vec<&str> = nodes.iter().filter_map(|n| n["name"].as_str()).collect();
                Error::Usage(format!(
                    "the graph has no node '{name}'; its nodes: {}",
                    names.join(", ")
                ))
            })?,
        (Some(nodes), None) => {
            let names: Vec<&str> = nodes.iter().filter_map(|n| n["name"].as_str()).collect();
            return Err(Error::Usage(format!(
                "{} is a graph: pick a node with --node ({})",
                so.display(),
                names.join(", ")
            )));
        }
        (None, Some(_)) => {
            return Err(Error::Usage(format!(
                "--node: {} is one node, not a graph",
                so.display()
            )))
        }
        (None, None) => manifest,
    };
    replay(Node::load(&so, &manifest)?)
}

/// `cfuncc run --jit FILE.py --function F`: compiles into this process's
/// JIT (libraries from --preload first, so the node's externs resolve
/// against them) and replays the ticks, as `run` does for a `.so`.
fn run_jit(
    file: PathBuf,
    function: Option<String>,
    consts: Vec<String>,
    code: &CodeOptions,
    preload: Vec<PathBuf>,
    cache: Option<Cache>,
) -> cfuncc::Result<()> {
    let function =
        function.ok_or_else(|| Error::Usage("run --jit needs --function NAME".into()))?;
    let _preloaded = preload
        .iter()
        .map(|p| cfuncc::runner::preload(p))
        .collect::<cfuncc_host::Result<Vec<_>>>()?;
    let p = prepare(&file, consts, code, Linker::Builtin)?;
    let jit = Jit::new()?;
    let (node, _, warnings) = cfuncc::driver::cache::compile_to_jit_cached(
        &p.ctx,
        cache.as_ref(),
        &p.source,
        &function,
        &p.args,
        &p.options,
        &jit,
    )?;
    warn(&warnings);
    replay(node.runner()?)
}

/// Replays the tick lines of stdin through `node` (design.md §6).
fn replay(mut node: Node) -> cfuncc::Result<()> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut started = false;
    let mut last_was_stop = false;
    // A reader that goes away (`cfuncc run ... | head -1`) ends the run
    // quietly, as it ends any Unix filter; it is not an internal error.
    let report = |out: &mut std::io::StdoutLock, j: Json| match writeln!(out, "{j}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => r,
    };
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => {
                Error::Usage(format!("stdin line {}: not valid UTF-8", n + 1))
            }
            _ => Error::from(e),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let j: Json = serde_json::from_str(&line)
            .map_err(|e| Error::Usage(format!("stdin line {}: {e}", n + 1)))?;
        if let Some(phase) = j["phase"].as_str() {
            started = true;
            last_was_stop = phase == "stop";
            let r = match phase {
                "start" => node.start(),
                "stop" => node.stop(),
                other => {
                    return Err(Error::Usage(format!(
                        "stdin line {}: unknown phase '{other}'",
                        n + 1
                    )))
                }
            };
            if let Err(f) = r {
                report(&mut out, f.to_json())?;
            }
            continue;
        }
        if !started {
            started = true;
            if let Err(f) = node.start() {
                report(&mut out, f.to_json())?;
            }
        }
        last_was_stop = false;
        let raw = j["inputs"].as_array().cloned().unwrap_or_default();
        if raw.len() != node.input_types().len() {
            return Err(Error::Usage(format!(
                "stdin line {}: expected {} inputs, got {}",
                n + 1,
                node.input_types().len(),
                raw.len()
            )));
        }
        let inputs = raw
            .iter()
            .zip(node.input_types())
            .map(|(v, t)| Value::from_json(v, t))
            .collect::<cfuncc_host::Result<Vec<_>>>()?;
        match node.execute(&inputs, &flags(&j, "ticked"), &flags(&j, "valid")) {
            Ok(outs) => {
                let vals: Vec<Json> = outs
                    .iter()
                    .zip(node.output_types())
                    .map(|(o, t)| o.as_ref().map_or(Json::Null, |v| v.to_json_typed(t)))
                    .collect();
                let outputs = if node.named_outputs() {
                    Json::Object(node.output_names().iter().cloned().zip(vals).collect())
                } else {
                    Json::Array(vals)
                };
                report(&mut out, serde_json::json!({ "outputs": outputs }))?;
            }
            Err(f) => report(&mut out, f.to_json())?,
        }
    }
    if !last_was_stop {
        if !started {
            let _ = node.start();
        }
        if let Err(f) = node.stop() {
            report(&mut out, f.to_json())?;
        }
    }
    Ok(())
}
