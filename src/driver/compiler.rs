//! [`Compiler`]: a registry, its MLIR context and the options, built once
//! and reused for every node; and [`Source`], one node to compile.
//!
//! ```no_run
//! use cfuncc::{Compiler, OptLevel, Source};
//! let compiler = Compiler::new().unwrap().opt_level(OptLevel::O3).fastmath(true);
//! let src = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";
//! let node = Source::new(src, "ema").filename("ema.py").constant("alpha", 0.5);
//! let r = compiler.compile_to_so(&node, "ema.so".as_ref()).unwrap();
//! println!("{}", r.native_name);
//! ```
//!
//! The free functions [`compile_to_mlir`](super::compile_to_mlir),
//! [`compile_to_object`](super::compile_to_object),
//! [`compile_to_so`](super::compile_to_so) and
//! [`compile_to_jit`](super::compile_to_jit) are the same compiles with every
//! input as an argument.

use super::{
    compile_to_jit, compile_to_mlir, compile_to_object, compile_to_so, CompilationOptions,
    CompilationResult, Constants, Jit, JitNode, Object, Stage,
};
use crate::backend::{link::Linker, OptLevel};
use crate::diagnostics::Result;
use crate::registry::CompilationContext;
use crate::types::ConstValue;
use std::path::Path;

/// One node to compile: its module's source text, the function, the values
/// of its constant parameters, and the file name diagnostics show.
#[derive(Clone, Debug)]
pub struct Source<'a> {
    /// The Python module's text.
    pub text: &'a str,
    /// The node function's name.
    pub function: &'a str,
    /// Constant parameter values by name.
    pub constants: Constants,
    /// The file name in diagnostics (`None`: the compiler's option).
    pub filename: Option<String>,
}

impl<'a> Source<'a> {
    /// The function `function` of the module `text`, with no constants.
    pub fn new(text: &'a str, function: &'a str) -> Self {
        Self {
            text,
            function,
            constants: Constants::new(),
            filename: None,
        }
    }

    /// Sets constant parameter `name`.
    pub fn constant(mut self, name: &str, value: impl Into<ConstValue>) -> Self {
        self.constants.insert(name.to_string(), value.into());
        self
    }

    /// Sets every constant parameter at once.
    pub fn constants(mut self, constants: Constants) -> Self {
        self.constants = constants;
        self
    }

    /// Names the source in diagnostics (`ema.py:3:5: error: ...`).
    pub fn filename(mut self, filename: &str) -> Self {
        self.filename = Some(filename.to_string());
        self
    }
}

/// A compiler: a [`CompilationContext`] (the registrations and an MLIR
/// context) and the [`CompilationOptions`] every compile uses.
///
/// Build it once and compile many nodes with it: the MLIR context, the
/// target machine and the parsed runtime bitcode are reused. It is not
/// `Send` (see [`CompilationContext`]); for many threads, give each its own
/// `Compiler` built from a clone of one [`Registry`](crate::Registry)
/// ([`Compiler::from_registry`]).
pub struct Compiler {
    ctx: CompilationContext,
    options: CompilationOptions,
}

impl Compiler {
    /// A compiler with every built-in registered and the default options.
    pub fn new() -> Result<Self> {
        Ok(Self::with_context(CompilationContext::with_defaults()?))
    }

    /// A compiler over `ctx` (with extensions of your own registered), with
    /// the default options.
    pub fn with_context(ctx: CompilationContext) -> Self {
        Self {
            ctx,
            options: CompilationOptions::default(),
        }
    }

    /// A compiler over a fresh context with `registry`'s registrations, on
    /// this thread.
    pub fn from_registry(registry: crate::registry::Registry) -> Result<Self> {
        Ok(Self::with_context(CompilationContext::from_registry(
            registry,
        )?))
    }

    /// Replaces every option.
    pub fn options(mut self, options: CompilationOptions) -> Self {
        self.options = options;
        self
    }

    /// The LLVM optimisation level (default `O2`).
    pub fn opt_level(mut self, level: OptLevel) -> Self {
        self.options.opt_level = level;
        self
    }

    /// Allows fast-math float transformations (default off).
    pub fn fastmath(mut self, on: bool) -> Self {
        self.options.fastmath = on;
        self
    }

    /// Marks every internal function `alwaysinline` (default off).
    pub fn force_inline(mut self, on: bool) -> Self {
        self.options.force_inline = on;
        self
    }

    /// Generates code for `cpu` (`x86-64`, `haswell`, ...) instead of the
    /// host's CPU.
    pub fn target_cpu(mut self, cpu: &str) -> Self {
        self.options.target_cpu = Some(cpu.to_string());
        self
    }

    /// How `compile_to_so` links (default: the builtin linker).
    pub fn linker(mut self, linker: Linker) -> Self {
        self.options.linker = linker;
        self
    }

    /// `datetime` and `timedelta` as plain int64 nanoseconds, the seed's
    /// convention ([`CompilationOptions::datetime_as_int`]).
    pub fn datetime_as_int(mut self, on: bool) -> Self {
        self.options.datetime_as_int = on;
        self
    }

    /// Verifies the IR after every pass, not only once after the pipeline
    /// ([`CompilationOptions::verify_each`]).
    pub fn verify_each(mut self, on: bool) -> Self {
        self.options.verify_each = on;
        self
    }

    /// The options every compile uses.
    pub fn current_options(&self) -> &CompilationOptions {
        &self.options
    }

    /// The context, to look registrations up.
    pub fn context(&self) -> &CompilationContext {
        &self.ctx
    }

    /// The context, to register extensions.
    pub fn context_mut(&mut self) -> &mut CompilationContext {
        &mut self.ctx
    }

    fn options_for(&self, source: &Source) -> std::borrow::Cow<'_, CompilationOptions> {
        match &source.filename {
            None => std::borrow::Cow::Borrowed(&self.options),
            Some(f) => {
                let mut o = self.options.clone();
                o.filename = f.clone();
                std::borrow::Cow::Owned(o)
            }
        }
    }

    /// The MLIR text of `source` at `stage`.
    pub fn compile_to_mlir(&self, source: &Source, stage: Stage) -> Result<String> {
        let o = self.options_for(source);
        compile_to_mlir(
            &self.ctx,
            source.text,
            source.function,
            &source.constants,
            &o,
            stage,
        )
    }

    /// An object file of `source`, with its result (no link).
    pub fn compile_to_object(&self, source: &Source) -> Result<Object> {
        let o = self.options_for(source);
        compile_to_object(
            &self.ctx,
            source.text,
            source.function,
            &source.constants,
            &o,
        )
    }

    /// A `.so` of `source` at `out`; its manifest is the result's
    /// [`manifest()`](CompilationResult::manifest).
    pub fn compile_to_so(&self, source: &Source, out: &Path) -> Result<CompilationResult> {
        let o = self.options_for(source);
        compile_to_so(
            &self.ctx,
            source.text,
            source.function,
            &source.constants,
            &o,
            out,
        )
    }

    /// `source` compiled into the JIT session `jit`: its function's address
    /// in this process, from the object `compile_to_so` would link.
    pub fn compile_to_jit(&self, source: &Source, jit: &Jit) -> Result<JitNode> {
        let o = self.options_for(source);
        compile_to_jit(
            &self.ctx,
            source.text,
            source.function,
            &source.constants,
            &o,
            jit,
        )
    }
}
