//! `cfuncc compile` and `cfuncc run` (design.md §6).
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

use cfuncc::runner::{Node, Value};
use cfuncc::{
    compile_to_mlir_timed, compile_to_object, frontend::literal::parse_const_arg,
    CompilationContext, CompilationOptions, Constants, Error, Linker, Stage, Timings,
};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::Value as Json;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
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
        #[arg(long = "opt-level", default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=3))]
        opt_level: u8,
        #[arg(long)]
        fastmath: bool,
        #[arg(long = "force-inline")]
        force_inline: bool,
        #[arg(long = "link-bitcode")]
        link_bitcode: Vec<PathBuf>,
        /// Keep the external linkage of functions linked with
        /// --link-bitcode, so the .so exports them too.
        #[arg(long = "no-internalize")]
        no_internalize: bool,
        #[arg(long = "symbol-prefix")]
        symbol_prefix: Option<String>,
        /// The CPU to generate code for (default: the host's), e.g. x86-64.
        #[arg(long = "target-cpu")]
        target_cpu: Option<String>,
        /// A JSON file of enums, struct layouts and scalar types:
        /// {"enums": {..}, "structs": {..}, "scalar_types": {..}} (README.md).
        #[arg(long)]
        types: Option<PathBuf>,
        #[arg(long)]
        timings: bool,
        /// Verify the IR after every pass, not only once after the
        /// pipeline (a pass that breaks the IR is then the one named).
        #[arg(long = "verify-each")]
        verify_each: bool,
        #[arg(long, value_enum, default_value = "builtin")]
        linker: LinkerArg,
    },
    /// Drive a compiled node with JSON-lines ticks from stdin.
    Run {
        so: PathBuf,
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// A shared library loaded first with RTLD_GLOBAL, to provide the
        /// node's @extern functions (repeatable).
        #[arg(long)]
        preload: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let r = match cli.cmd {
        Cmd::Compile {
            file,
            function,
            consts,
            out,
            emit,
            opt_level,
            fastmath,
            force_inline,
            link_bitcode,
            no_internalize,
            symbol_prefix,
            target_cpu,
            types,
            timings,
            verify_each,
            linker,
        } => compile(
            file,
            function,
            consts,
            out,
            emit,
            CompilationOptions {
                opt_level: cfuncc::OptLevel::from_u8(opt_level).expect("clap checks 0..=3"),
                fastmath,
                force_inline,
                link_bitcode,
                internalize: !no_internalize,
                target_cpu,
                symbol_prefix: symbol_prefix
                    .unwrap_or_else(|| CompilationOptions::default().symbol_prefix),
                linker: match linker {
                    LinkerArg::Builtin => Linker::Builtin,
                    LinkerArg::System => Linker::System,
                },
                verify_each,
                ..Default::default()
            },
            types,
            timings,
        ),
        Cmd::Run {
            so,
            manifest,
            preload,
        } => run(so, manifest, preload),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ (Error::Compile(_) | Error::Diagnostics(_))) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(Error::Usage(e)) => {
            eprintln!("cfuncc: error: {e}");
            ExitCode::from(2)
        }
        Err(Error::Internal(e)) => {
            eprintln!("cfuncc: internal error: {e}");
            ExitCode::from(3)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn compile(
    file: PathBuf,
    function: String,
    consts: Vec<String>,
    out: Option<PathBuf>,
    emit: Emit,
    mut options: CompilationOptions,
    types: Option<PathBuf>,
    timings: bool,
) -> cfuncc::Result<()> {
    let source = std::fs::read_to_string(&file)
        .map_err(|e| Error::Usage(format!("{}: {e}", file.display())))?;
    if let Some(out) = &out {
        check_output_path(out)?;
    }
    options.filename = file.display().to_string();
    let mut ctx = CompilationContext::with_defaults()?;
    if let Some(t) = types {
        ctx.load_types_file(&t)?;
    }
    let mut args = Constants::new();
    for c in consts {
        let (name, v) = parse_const_arg(&ctx, &c).map_err(Error::Usage)?;
        args.insert(name, v);
    }
    if let Some(dir) = std::env::var_os("CFUNCC_DUMP_DIR").filter(|d| !d.is_empty()) {
        options.dump_dir = Some(PathBuf::from(dir));
    }
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
            let r = cfuncc::compile_to_so(&ctx, &source, &function, &args, &options, &out)?;
            warn(&r.warnings);
            let manifest = out.with_extension("json");
            std::fs::write(
                &manifest,
                serde_json::to_string_pretty(&r.manifest()).unwrap_or_default() + "\n",
            )?;
            if let Some(why) = &r.link_fallback {
                eprintln!("cfuncc: note: linked with the system linker (ld): {why}");
            }
            if timings {
                print_timings(&r.timings, Some(t.elapsed()));
                eprintln!("linker: {}", r.linker_used);
            }
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

fn run(so: PathBuf, manifest: Option<PathBuf>, preload: Vec<PathBuf>) -> cfuncc::Result<()> {
    let _preloaded = preload
        .iter()
        .map(|p| cfuncc::runner::preload(p))
        .collect::<cfuncc_host::Result<Vec<_>>>()?;
    let manifest_path = manifest.unwrap_or_else(|| so.with_extension("json"));
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| Error::Usage(format!("{}: {e}", manifest_path.display())))?;
    let manifest: Json = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: {e}", manifest_path.display())))?;
    let mut node = Node::load(&so, &manifest)?;
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
