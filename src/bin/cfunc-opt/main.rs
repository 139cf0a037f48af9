//! `cfunc-opt`: an mlir-opt-style driver over cfunc IR (design.md §6).
//!
//! Reads a Python node (lowered by the frontend) or an `.mlir` file, runs
//! `--pass-pipeline` (cfunc passes and upstream MLIR passes mixed), and
//! prints the result on stdout; diagnostics go to stderr.

use cfuncc::frontend::literal::parse_const;
use cfuncc::passes::{self, RunOptions};
use cfuncc::{CompilationContext, Error, SourceMap};
use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "cfunc-opt",
    version,
    about = "Run cfunc and MLIR passes on a node"
)]
struct Cli {
    /// A .py node or a .mlir module.
    file: Option<PathBuf>,
    /// The node function (for .py input).
    #[arg(long)]
    function: Option<String>,
    /// NAME=VALUE constants (for .py input).
    #[arg(long = "const")]
    consts: Vec<String>,
    /// Comma-separated passes, e.g. `cfunc-resolve,canonicalize`.
    #[arg(long = "pass-pipeline")]
    pass_pipeline: Option<String>,
    #[arg(long = "mlir-print-ir-after-all")]
    print_after_all: bool,
    #[arg(long = "mlir-print-ir-before-all")]
    print_before_all: bool,
    #[arg(long = "mlir-timing")]
    timing: bool,
    /// Print the cfunc passes and exit.
    #[arg(long = "list-passes")]
    list_passes: bool,
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
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Compile(e)) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(Error::Usage(e)) => {
            eprintln!("cfunc-opt: error: {e}");
            ExitCode::from(2)
        }
        Err(Error::Internal(e)) => {
            eprintln!("cfunc-opt: error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> cfuncc::Result<()> {
    if cli.list_passes {
        for p in passes::PASSES {
            println!("{:<24} {}", p.name, p.summary);
        }
        println!("(plus every upstream MLIR pass, e.g. canonicalize, cse, func.func(mem2reg))");
        return Ok(());
    }
    let file = cli
        .file
        .ok_or_else(|| Error::Usage("no input file".into()))?;
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Error::Usage(format!("{}: {e}", file.display())))?;
    let ctx = CompilationContext::with_defaults()?;
    let filename = file.display().to_string();
    let is_py = file.extension().is_some_and(|e| e == "py");
    let map = SourceMap::new(&filename, &text);
    // A .py node keeps its Python locations (faults and errors point at
    // the source); a .mlir module is parsed as written.
    let module = if is_py {
        let function = cli
            .function
            .ok_or_else(|| Error::Usage("--function is required for .py input".into()))?;
        let mut args = std::collections::HashMap::new();
        for c in &cli.consts {
            let (k, v) = c
                .split_once('=')
                .ok_or_else(|| Error::Usage(format!("--const {c}: expected NAME=VALUE")))?;
            args.insert(k.to_string(), parse_const(v).map_err(Error::Usage)?);
        }
        cfuncc::frontend::lower(&ctx, &map, &function, &args)?.0
    } else {
        melior::ir::Module::parse(ctx.mlir(), &text)
            .ok_or_else(|| Error::Internal(format!("{filename}: cannot parse the MLIR input")))?
    };
    let op = module.as_operation().to_raw();
    passes::verify(op, is_py.then_some(&map))?;
    let opts = RunOptions {
        print_after_all: cli.print_after_all,
        print_before_all: cli.print_before_all,
    };
    let mut total = Duration::ZERO;
    if let Some(p) = &cli.pass_pipeline {
        let timings = passes::run_pipeline(&ctx, op, p, is_py.then_some(&map), &opts)?;
        if cli.timing {
            eprintln!(
                "===-------------------------------------------------------------------------==="
            );
            eprintln!("                         ... Execution time report ...");
            for (name, d) in &timings {
                total += *d;
                eprintln!("  {:>10.4} ms  {name}", d.as_secs_f64() * 1e3);
            }
            eprintln!("  {:>10.4} ms  Total", total.as_secs_f64() * 1e3);
        }
    }
    println!("{}", passes::print_op(op));
    Ok(())
}
