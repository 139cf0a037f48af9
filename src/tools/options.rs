//! The command-line options that change the generated code, shared by
//! `cfuncc compile`, `cfuncc run --jit`, `cfuncc compile-many` and each
//! variant of `cfuncc bench`.

use crate::backend::{link::Linker, OptLevel};
use crate::diagnostics::{Error, Result};
use crate::driver::CompilationOptions;
use crate::registry::CompilationContext;
use clap::Args;
use std::path::PathBuf;

/// The code options of the command line (`cfuncc compile --help`).
#[derive(Args, Clone, Debug, Default)]
pub struct CodeOptions {
    /// LLVM's optimisation level.
    #[arg(long = "opt-level", default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=3))]
    pub opt_level: u8,
    /// Every fast-math flag on every float instruction.
    #[arg(long)]
    pub fastmath: bool,
    /// Make the node's internal functions `alwaysinline`.
    #[arg(long = "force-inline")]
    pub force_inline: bool,
    /// LLVM bitcode linked into the node before optimisation (repeatable).
    #[arg(long = "link-bitcode")]
    pub link_bitcode: Vec<PathBuf>,
    /// Keep the external linkage of functions linked with
    /// --link-bitcode, so the .so exports them too.
    #[arg(long = "no-internalize")]
    pub no_internalize: bool,
    /// The exported symbol's prefix (default `_gc_numba_`).
    #[arg(long = "symbol-prefix")]
    pub symbol_prefix: Option<String>,
    /// The CPU to generate code for (default: the host's), e.g. x86-64.
    #[arg(long = "target-cpu")]
    pub target_cpu: Option<String>,
    /// A JSON file of enums, struct layouts and scalar types:
    /// {"enums": {..}, "structs": {..}, "scalar_types": {..}} (README.md).
    #[arg(long)]
    pub types: Option<PathBuf>,
    /// Verify the IR after every pass, not only once after the
    /// pipeline (a pass that breaks the IR is then the one named).
    #[arg(long = "verify-each")]
    pub verify_each: bool,
    /// The seed's convention: `datetime` and `timedelta` annotations are
    /// plain int64 nanoseconds with integer arithmetic (default: typed).
    #[arg(long = "datetime-as-int")]
    pub datetime_as_int: bool,
    /// The pass pipeline from the cfunc dialect to the llvm dialect, as
    /// cfunc-opt takes it (`cfunc-opt --list-passes`), instead of the
    /// default; part of the semantic key.
    #[arg(long = "pass-pipeline", value_name = "PIPELINE")]
    pub pass_pipeline: Option<String>,
    /// Leave the pass NAME out of the pipeline (repeatable), to measure
    /// what it buys; part of the semantic key.
    #[arg(long = "disable-pass", value_name = "NAME")]
    pub disable_passes: Vec<String>,
    /// DWARF line tables pointing at the .py file (gdb, perf); the code
    /// is the same.
    #[arg(short = 'g')]
    pub debug_info: bool,
}

impl CodeOptions {
    /// The compilation options these flags ask for.
    pub fn options(&self, linker: Linker) -> CompilationOptions {
        CompilationOptions {
            opt_level: OptLevel::from_u8(self.opt_level).unwrap_or(OptLevel::O2),
            fastmath: self.fastmath,
            force_inline: self.force_inline,
            link_bitcode: self.link_bitcode.clone(),
            internalize: !self.no_internalize,
            target_cpu: self.target_cpu.clone(),
            symbol_prefix: self
                .symbol_prefix
                .clone()
                .unwrap_or_else(|| CompilationOptions::default().symbol_prefix),
            linker,
            verify_each: self.verify_each,
            datetime_as_int: self.datetime_as_int,
            pass_pipeline: self.pass_pipeline.clone(),
            disable_passes: self.disable_passes.clone(),
            debug_info: self.debug_info,
            ..Default::default()
        }
    }

    /// Whether any flag was given (`run` without --jit takes none).
    pub fn any_given(&self) -> bool {
        self.opt_level != 2
            || self.fastmath
            || self.force_inline
            || !self.link_bitcode.is_empty()
            || self.no_internalize
            || self.symbol_prefix.is_some()
            || self.target_cpu.is_some()
            || self.types.is_some()
            || self.verify_each
            || self.datetime_as_int
            || self.pass_pipeline.is_some()
            || !self.disable_passes.is_empty()
            || self.debug_info
    }

    /// `base` (a context with the built-ins, or a research crate's) with
    /// the `--types` file's types added.
    pub fn context_from(&self, base: &CompilationContext) -> Result<CompilationContext> {
        let mut ctx = base.try_clone()?;
        if let Some(t) = &self.types {
            ctx.load_types_file(t)?;
        }
        Ok(ctx)
    }

    /// A context with the built-ins and the `--types` file's types.
    pub fn context(&self) -> Result<CompilationContext> {
        let mut ctx = CompilationContext::with_defaults()?;
        if let Some(t) = &self.types {
            ctx.load_types_file(t)?;
        }
        Ok(ctx)
    }

    /// Checks `--pass-pipeline` in `ctx` before any compile: every element
    /// a cfunc pass, a registered pass or an MLIR pass.
    pub fn check_pipeline(&self, ctx: &CompilationContext) -> Result<()> {
        let Some(p) = &self.pass_pipeline else {
            return Ok(());
        };
        let parsed = crate::passes::parse_pipeline(p)
            .map_err(|e| Error::Usage(format!("--pass-pipeline: {e}")))?;
        crate::passes::check_upstream(ctx, &parsed)
            .map_err(|e| Error::Usage(format!("--pass-pipeline: {e}")))
    }
}
