//! `cfunc-opt`'s driver as a library function (design.md §6): an
//! mlir-opt-style driver over cfunc IR, with the passes of any context.
//! MLIR's `MlirOptMain` is C++ only; [`opt_main`] is its counterpart here,
//! so a research crate builds its own `-opt` tool in a few lines:
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     let mut ctx = cfuncc::CompilationContext::with_defaults().expect("a context");
//!     // ctx.register_pass(...);
//!     cfuncc::tools::opt_main(ctx)
//! }
//! ```
//!
//! Reads a Python node (lowered by the frontend) or an `.mlir` file (its
//! own output included: the round trip prints it back unchanged), runs a
//! pipeline of cfunc passes and upstream MLIR passes in one MLIR pass
//! manager (MLIR's verifier, IR printing and timing instrument both), and
//! prints the result on stdout; diagnostics go to stderr as
//! `FILE:LINE:COL: error: ...`.
//!
//! ```text
//! cfunc-opt node.py --function f --pass-pipeline='builtin.module(cfunc-resolve,canonicalize)'
//! cfunc-opt node.py --function f --emit-stage cfunc-lower-arith --mlir-print-ir-after-change
//! cfunc-opt invalid.mlir --split-input-file --verify-diagnostics
//! ```
//! Exit codes: 0 success, 1 an error in the input (or a failed
//! `--verify-diagnostics`), 2 bad usage.

mod diagnostics;
mod input;

use crate::diagnostics::{Error, SourceMap};
use crate::dialect::ir::Operation;
use crate::frontend::literal::parse_const_arg;
use crate::passes::{self, PipelineReport, RunOptions};
use crate::registry::CompilationContext;
use clap::{CommandFactory, FromArgMatches, Parser};
use diagnostics::{Collector, Diag, Severity};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "cfunc-opt",
    version,
    about = "Run cfunc and MLIR passes on a node",
    after_help = "Stages for --emit-stage: cfunc (the frontend's IR), any cfunc pass name \
                  (the default pipeline up to and including it), llvm-dialect (the whole \
                  default pipeline). `cfunc-opt --list-passes` lists the passes."
)]
struct Cli {
    /// A .py node or a .mlir module; `-` or nothing reads MLIR (or, with
    /// --function, Python) from stdin.
    file: Option<PathBuf>,
    /// The node function (for Python input).
    #[arg(long)]
    function: Option<String>,
    /// NAME=VALUE constants (for Python input), VALUE a Python literal.
    #[arg(long = "const")]
    consts: Vec<String>,
    /// Passes to run, e.g. `builtin.module(cfunc-resolve,canonicalize)`.
    #[arg(long = "pass-pipeline")]
    pass_pipeline: Option<String>,
    /// Run the default pipeline up to a stage: cfunc, llvm-dialect or a
    /// cfunc pass name.
    #[arg(long = "emit-stage", alias = "emit")]
    emit_stage: Option<String>,
    /// Write the output here instead of stdout.
    #[arg(short = 'o')]
    output: Option<PathBuf>,
    /// List the cfunc passes and the common upstream passes.
    #[arg(long = "list-passes")]
    list_passes: bool,
    /// Print the IR to stderr before every pass.
    #[arg(long = "mlir-print-ir-before-all")]
    print_before_all: bool,
    /// Print the IR to stderr after every pass.
    #[arg(long = "mlir-print-ir-after-all")]
    print_after_all: bool,
    /// Print the IR after a pass only when the pass changed it.
    #[arg(long = "mlir-print-ir-after-change")]
    print_after_change: bool,
    /// Print the IR after a pass that failed.
    #[arg(long = "mlir-print-ir-after-failure")]
    print_after_failure: bool,
    /// Print the whole module around every pass, also around a pass on a
    /// nested op (`func.func(cse)`), which otherwise prints only that op.
    #[arg(long = "mlir-print-ir-module-scope")]
    print_module_scope: bool,
    /// Write the IR printed around passes into files under DIR (MLIR's
    /// tree: a folder per op, `N_<pass>.mlir`); alone, after every pass.
    #[arg(long = "mlir-print-ir-tree-dir", value_name = "DIR")]
    tree_dir: Option<PathBuf>,
    /// Print the time of each pass (and of parsing, verification and
    /// printing) to stderr; consecutive upstream passes share a row.
    #[arg(long = "mlir-timing")]
    timing: bool,
    /// Print MLIR's own execution time report (every pass, cfunc and
    /// upstream, on its own row) to stderr.
    #[arg(long = "mlir-native-timing")]
    native_timing: bool,
    /// Print what each cfunc pass rewrote to stderr.
    #[arg(long = "mlir-pass-statistics")]
    statistics: bool,
    /// Verify the IR after every pass (the default, as in mlir-opt);
    /// `--verify-each=false` verifies once, after the pipeline.
    #[arg(
        long = "verify-each",
        value_name = "BOOL",
        default_value_t = true,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    verify_each: bool,
    /// Print locations (`loc(...)`): a Python node's carry its file:line:col.
    #[arg(long = "mlir-print-debuginfo")]
    debuginfo: bool,
    /// Check diagnostics against `expected-error @+1 {{...}}` annotations.
    #[arg(long = "verify-diagnostics")]
    verify_diagnostics: bool,
    /// Process each `// -----` (`# -----` in Python) separated piece alone.
    #[arg(long = "split-input-file")]
    split_input_file: bool,
}

/// Runs `cfunc-opt` with the command line of this process and the passes
/// and extensions of `ctx`: every flag of `cfunc-opt`, its output and its
/// exit codes (0 success, 1 an error in the input, 2 bad usage). The tool's
/// name in help and messages is the program's.
pub fn opt_main(ctx: CompilationContext) -> ExitCode {
    opt_main_from(ctx, std::env::args_os())
}

/// [`opt_main`] with the command line `args` (the program name first).
pub fn opt_main_from<I, T>(ctx: CompilationContext, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let tool = args
        .first()
        .and_then(|a| std::path::Path::new(a).file_name())
        .map_or("cfunc-opt".to_string(), |n| {
            n.to_string_lossy().into_owned()
        });
    let command = Cli::command().bin_name(tool.clone());
    let cli = match command
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
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
    // The frontend, the parser and the passes recurse with the program:
    // see `with_compile_stack`.
    match crate::stack::with_compile_stack(|| run(&ctx, cli)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e @ (Error::Compile(_) | Error::Diagnostics(_))) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(Error::Usage(e)) => {
            eprintln!("{tool}: error: {e}");
            ExitCode::from(2)
        }
        Err(Error::Internal(e)) => {
            eprintln!("{tool}: error: {e}");
            ExitCode::from(1)
        }
    }
}

fn list_passes(ctx: &CompilationContext) -> crate::diagnostics::Result<()> {
    let default = passes::pipeline_for(ctx).map_err(Error::Usage)?;
    println!("cfunc passes (the default pipeline, in order):");
    for name in default.split(',') {
        match passes::PASSES.iter().find(|p| p.name == name) {
            Some(p) => println!("  {:<28} {}", p.name, p.summary),
            None => {
                let p = ctx.registered_pass(name).expect("a registered pass");
                println!("  {:<28} {} (registered)", p.name, p.description);
            }
        }
    }
    let by_name: Vec<_> = ctx
        .registered_passes()
        .iter()
        .filter(|p| p.placement == crate::registry::Placement::ByName)
        .collect();
    if !by_name.is_empty() {
        println!("registered passes run only by name:");
        for p in by_name {
            println!("  {:<28} {}", p.name, p.description);
        }
    }
    println!("upstream MLIR passes (any registered pass works; these are the common ones):");
    for (name, summary) in passes::UPSTREAM_PASSES {
        println!("  {name:<28} {summary}");
    }
    Ok(())
}

/// The pipeline `--emit-stage STAGE` stands for.
fn stage_pipeline(ctx: &CompilationContext, stage: &str) -> crate::diagnostics::Result<String> {
    let default = passes::pipeline_for(ctx).map_err(Error::Usage)?;
    let names: Vec<&str> = default.split(',').collect();
    match stage {
        "cfunc" => Ok(String::new()),
        "llvm-dialect" => Ok(default.clone()),
        "llvm-ir" | "obj" | "so" => Err(Error::Usage(format!(
            "--emit-stage {stage}: cfunc-opt prints MLIR; use `cfuncc compile --emit {stage}`"
        ))),
        _ => match names.iter().position(|n| *n == stage) {
            Some(i) => Ok(names[..=i].join(",")),
            None => Err(Error::Usage(format!(
                "--emit-stage {stage}: expected cfunc, llvm-dialect or a cfunc pass ({})",
                names.join(", ")
            ))),
        },
    }
}

/// Registers every upstream dialect and dialect extension, as mlir-opt
/// does. The compiler's context loads only the dialects it needs, without
/// their extensions; among those are the inliner interfaces of func, cf and
/// llvm, without which `inline` inlines nothing, and any upstream dialect a
/// `.mlir` input may use.
fn register_everything(ctx: &CompilationContext) {
    let raw = ctx.mlir().to_raw();
    unsafe {
        let registry = mlir_sys::mlirDialectRegistryCreate();
        mlir_sys::mlirRegisterAllDialects(registry);
        mlir_sys::mlirContextAppendDialectRegistry(raw, registry);
        mlir_sys::mlirDialectRegistryDestroy(registry);
    }
}

/// Everything that applies to every chunk of the input.
struct Job<'a> {
    ctx: &'a CompilationContext,
    filename: String,
    python: Option<(
        String,
        std::collections::HashMap<String, crate::types::ConstValue>,
    )>,
    steps: Vec<String>,
    opts: RunOptions,
    cli: &'a Cli,
}

/// What processing one chunk gave: its printed IR (on success), its
/// diagnostics, and where the time went.
struct Outcome {
    output: Option<String>,
    diags: Vec<Diag>,
    report: Option<PipelineReport>,
    /// Parse (or frontend) time.
    input: Vec<(&'static str, Duration)>,
    /// Printing time.
    output_time: Vec<(&'static str, Duration)>,
}

fn run(ctx: &CompilationContext, cli: Cli) -> crate::diagnostics::Result<bool> {
    if cli.list_passes {
        list_passes(ctx)?;
        return Ok(true);
    }
    let stdin = cli.file.as_ref().is_none_or(|f| f.as_os_str() == "-");
    let (filename, text) = if stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::Usage(format!("<stdin>: {e}")))?;
        ("<stdin>".to_string(), text)
    } else {
        let file = cli.file.as_ref().expect("not stdin");
        let text = std::fs::read_to_string(file)
            .map_err(|e| Error::Usage(format!("{}: {e}", file.display())))?;
        (file.display().to_string(), text)
    };
    let is_py = if stdin {
        cli.function.is_some()
    } else {
        cli.file
            .as_ref()
            .and_then(|f| f.extension())
            .is_some_and(|e| e == "py")
    };
    register_everything(ctx);
    let python = if is_py {
        let function = cli
            .function
            .clone()
            .ok_or_else(|| Error::Usage("--function is required for Python input".into()))?;
        let mut args = std::collections::HashMap::new();
        for c in &cli.consts {
            let (name, v) = parse_const_arg(ctx, c).map_err(Error::Usage)?;
            args.insert(name, v);
        }
        Some((function, args))
    } else {
        if cli.function.is_some() || !cli.consts.is_empty() {
            return Err(Error::Usage(
                "--function and --const apply to Python (.py) input".into(),
            ));
        }
        None
    };
    let pipeline = match (&cli.pass_pipeline, &cli.emit_stage) {
        (Some(_), Some(_)) => {
            return Err(Error::Usage(
                "give either --pass-pipeline or --emit-stage, not both".into(),
            ))
        }
        (Some(p), None) => p.clone(),
        (None, Some(stage)) => stage_pipeline(ctx, stage)?,
        (None, None) => String::new(),
    };
    let steps = passes::parse_pipeline(&pipeline)
        .map_err(|e| Error::Usage(format!("--pass-pipeline: {e}")))?;
    passes::check_upstream(ctx, &steps)
        .map_err(|e| Error::Usage(format!("--pass-pipeline: {e}")))?;
    let opts = RunOptions {
        verify_each: cli.verify_each,
        print_before_all: cli.print_before_all,
        print_after_all: cli.print_after_all,
        print_after_change: cli.print_after_change,
        print_after_failure: cli.print_after_failure,
        print_module_scope: cli.print_module_scope,
        tree_dir: cli.tree_dir.clone(),
        print_debuginfo: cli.debuginfo,
        native_timing: cli.native_timing,
        dump_dir: None,
        capture_after: None,
    };
    let job = Job {
        ctx,
        filename,
        python,
        steps,
        opts,
        cli: &cli,
    };
    let chunks = if cli.split_input_file {
        input::split(&text, is_py)
    } else {
        vec![input::Chunk { text }]
    };
    let mut outputs = Vec::new();
    let mut ok = true;
    for chunk in &chunks {
        let map = SourceMap::new(&job.filename, &chunk.text);
        let outcome = process(&job, &map);
        if cli.timing {
            if let Some(r) = &outcome.report {
                eprint!("{}", r.timing_report(&outcome.input, &outcome.output_time));
            }
        }
        if cli.statistics {
            if let Some(r) = &outcome.report {
                eprint!("{}", r.statistics_report());
            }
        }
        if cli.verify_diagnostics {
            for failure in diagnostics::verify(&outcome.diags, &map) {
                eprintln!("{failure}");
                ok = false;
            }
        } else {
            for d in &outcome.diags {
                eprintln!("{}", d.render(&map));
                ok &= d.severity != Severity::Error;
            }
        }
        outputs.extend(outcome.output);
    }
    let separator = if is_py { "# -----\n" } else { "// -----\n" };
    let text = outputs.join(separator);
    match &cli.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?,
        None => {
            let mut out = std::io::stdout().lock();
            // A closed stdout (`| head`) is not an error of the input.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
        }
    }
    Ok(ok)
}

/// Builds the chunk's module, runs the pipeline and prints the result,
/// collecting every diagnostic on the way.
fn process(job: &Job, map: &SourceMap) -> Outcome {
    let mut collector = Collector::attach(job.ctx.mlir());
    let mut outcome = Outcome {
        output: None,
        diags: Vec::new(),
        report: None,
        input: Vec::new(),
        output_time: Vec::new(),
    };
    let t = Instant::now();
    let module = match &job.python {
        Some((function, args)) => match crate::frontend::lower(job.ctx, map, function, args) {
            Ok((module, _, _)) => {
                outcome.input.push(("(frontend)", t.elapsed()));
                Some(module)
            }
            Err(e @ (Error::Compile(_) | Error::Diagnostics(_))) => {
                for d in e.diagnostics() {
                    outcome.diags.push(Diag::from_compile_error(d));
                }
                None
            }
            Err(e) => {
                outcome.diags.push(Diag {
                    severity: Severity::Error,
                    at: None,
                    message: e.to_string(),
                    notes: Vec::new(),
                });
                None
            }
        },
        None => {
            let module =
                input::parse_mlir(job.ctx.mlir(), &map.text, &job.filename, &mut collector);
            outcome.input.push(("(parse)", t.elapsed()));
            module
        }
    };
    let Some(module) = module else {
        outcome.diags.splice(0..0, collector.take());
        return outcome;
    };
    let op = Operation::of_module(&module);
    let verified = passes::verify_diags(op);
    if let Err(d) = verified {
        outcome.diags.extend(collector.take());
        outcome.diags.extend(d.iter().map(Diag::from_pass));
        return outcome;
    }
    // check_upstream resolved every step already.
    let steps = passes::steps_in(job.ctx, &job.steps).unwrap_or_default();
    match passes::run_steps(job.ctx, op, &steps, &job.opts) {
        Ok(report) => {
            let t = Instant::now();
            let mut text = passes::print_with(op, job.cli.debuginfo, true);
            if !text.ends_with('\n') {
                text.push('\n');
            }
            outcome.output_time.push(("(print)", t.elapsed()));
            outcome.output = Some(text);
            outcome.report = Some(report);
        }
        Err(failure) => {
            outcome.diags.extend(collector.take());
            outcome
                .diags
                .extend(failure.diags.iter().map(Diag::from_pass));
            outcome.report = Some(failure.report);
        }
    }
    outcome.diags.extend(collector.take());
    outcome
}
