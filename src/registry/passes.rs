//! Passes registered from outside the crate: a research pass written in Rust
//! against the cfunc dialect, with a name, a description, a run function,
//! its counters, and its place in the default pipeline.
//!
//! ```text
//! ctx.register_pass(PassDef::new("square-to-mul", "x ** 2 -> x * x", run)
//!                      .before("cfunc-lower-arith"))
//!   default pipeline:  cfunc-resolve, square-to-mul, cfunc-lower-arith, ...
//!   by name:           --pass-pipeline=cfunc-resolve,square-to-mul,...
//! ```
//! The registry only holds the definition; the pass layer places it
//! (`passes::pipeline_for`) and runs it as an MLIR pass of its own
//! (`passes::manager`), where its errors and panics become diagnostics at
//! their Python locations and its counters show in
//! `cfunc-opt --mlir-pass-statistics`.

use super::{CompilationContext, Registry};
use crate::diagnostics::{Error, Result};
use crate::dialect::builder::Builder;
use crate::dialect::ir::{ContextRef, Operation};
use crate::dialect::rewrite::{collect_ops, count, PassDiag, Patterns};
use std::sync::Arc;

/// A registered pass's body: it rewrites the module in place, or returns
/// every error it found, each at an op's location. It sees only typed
/// handles ([`Operation`], [`Builder`]), valid for the run (`'c`).
pub type PassFn = Arc<
    dyn for<'c> Fn(&PassContext<'c>) -> std::result::Result<(), Vec<PassDiag<'c>>> + Send + Sync,
>;

/// Where a registered pass runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// In the default pipeline, right before this pass (built-in or
    /// registered earlier).
    Before(String),
    /// In the default pipeline, right after this pass.
    After(String),
    /// Not in the default pipeline: only where a pipeline names it
    /// (`--pass-pipeline=...`, `cfunc-opt`).
    ByName,
}

/// A pass written outside the crate, registered with
/// [`Registry::register_pass`].
///
/// ```
/// use cfuncc::context::PassDef;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // Counts the cfunc.ipow ops it sees, and changes nothing.
/// ctx.register_pass(
///     PassDef::new("count-ipow", "count integer powers", |p| {
///         let n = p.ops("cfunc.ipow").len() as u64;
///         p.count("ipow", "integer powers seen", n);
///         Ok(())
///     })
///     .after("cfunc-resolve")
///     .version("1"),
/// )
/// .unwrap();
/// assert!(ctx.registered_pass("count-ipow").is_some());
/// ```
#[derive(Clone)]
pub struct PassDef {
    /// The name in pipelines (`square-to-mul`): letters, digits, `-`, `_`
    /// and `.`, and no built-in pass's name.
    pub name: String,
    /// One line for `--list-passes`.
    pub description: String,
    /// Where it runs.
    pub placement: Placement,
    /// The pass's version, part of the semantic key and the cache key when
    /// it runs: bump it when the pass changes what it does, or a cached
    /// `.so` of the old behaviour is reused.
    pub version: String,
    /// Counters declared up front: they show in the statistics report even
    /// when they stay 0. `(name, description)`.
    pub statistics: Vec<(&'static str, &'static str)>,
    /// The body.
    pub run: PassFn,
}

impl PassDef {
    /// A pass run only by name (see [`PassDef::after`], [`PassDef::before`]).
    pub fn new(
        name: &str,
        description: &str,
        run: impl for<'c> Fn(&PassContext<'c>) -> std::result::Result<(), Vec<PassDiag<'c>>>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        Self {
            name: name.to_string(),
            description: description.to_string(),
            placement: Placement::ByName,
            version: String::new(),
            statistics: Vec::new(),
            run: Arc::new(run),
        }
    }

    /// Runs it in the default pipeline right after the pass `anchor`.
    pub fn after(mut self, anchor: &str) -> Self {
        self.placement = Placement::After(anchor.to_string());
        self
    }

    /// Runs it in the default pipeline right before the pass `anchor`.
    pub fn before(mut self, anchor: &str) -> Self {
        self.placement = Placement::Before(anchor.to_string());
        self
    }

    /// Sets the version (see [`PassDef::version`](PassDef#structfield.version)).
    pub fn version(mut self, version: &str) -> Self {
        self.version = version.to_string();
        self
    }

    /// Declares a counter, shown (at 0 if nothing counted it) in the
    /// statistics report.
    pub fn statistic(mut self, name: &'static str, description: &'static str) -> Self {
        self.statistics.push((name, description));
        self
    }

    /// What identifies it for the caches: name, placement and version.
    pub fn key(&self) -> String {
        format!("{} {:?} {:?}", self.name, self.placement, self.version)
    }
}

/// What a registered pass's body gets: the module it runs on, the context,
/// and helpers for counters, errors, builders and rewrite patterns; every
/// IR handle is typed and lives for the run (`'c`).
pub struct PassContext<'c> {
    cx: &'c CompilationContext,
    module: Operation<'c>,
}

impl<'c> PassContext<'c> {
    /// The context for a run on `module` (the pass manager makes it).
    pub fn new(cx: &'c CompilationContext, module: Operation<'c>) -> Self {
        Self { cx, module }
    }

    /// The compilation context: its registrations and its MLIR context.
    pub fn context(&self) -> &'c CompilationContext {
        self.cx
    }

    /// The MLIR context of the run, as a typed handle.
    pub fn mlir(&self) -> ContextRef<'c> {
        self.module.context()
    }

    /// The module the pass runs on (`builtin.module`).
    pub fn module(&self) -> Operation<'c> {
        self.module
    }

    /// Every op named `name` in the module, innermost first (collected
    /// before the caller changes anything).
    pub fn ops(&self, name: &str) -> Vec<Operation<'c>> {
        collect_ops(self.module, name)
    }

    /// A builder inserting before `op`, at `op`'s location.
    pub fn builder_before(&self, op: Operation<'c>) -> Builder<'c> {
        Builder::before(op)
    }

    /// Adds `n` to the counter `name` of this run (`--mlir-pass-statistics`).
    pub fn count(&self, name: &str, description: &'static str, n: u64) {
        count(name, description, n)
    }

    /// An error at `op`'s location: its Python `FILE:LINE:COL` when it has
    /// one.
    pub fn error(&self, op: Operation<'c>, message: impl Into<String>) -> PassDiag<'c> {
        PassDiag {
            loc: op.location(),
            message: message.into(),
        }
    }

    /// An empty set of rewrite patterns, to fill and [`Patterns::apply`] to
    /// [`PassContext::module`]: each pattern counts its rewrites and turns
    /// its errors and panics into located errors.
    pub fn patterns(&self) -> Patterns<'c> {
        Patterns::new(self.cx.mlir())
    }
}

impl Registry {
    /// Registers a pass (see [`PassDef`]). Where it is placed is checked
    /// when a pipeline is built (the anchor must be a pass of the default
    /// pipeline); here, the name.
    pub fn register_pass(&mut self, pass: PassDef) -> Result<()> {
        let name = &pass.name;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(Error::Usage(format!(
                "pass name '{name}': use letters, digits, '-', '_' and '.' (a pipeline element)"
            )));
        }
        if self.registered_pass(name).is_some() {
            return Err(Error::Usage(format!(
                "a pass named '{name}' is already registered in this context"
            )));
        }
        self.passes.push(pass);
        Ok(())
    }

    /// The registered pass named `name`.
    pub fn registered_pass(&self, name: &str) -> Option<&PassDef> {
        self.passes.iter().find(|p| p.name == name)
    }

    /// Every registered pass, in registration order.
    pub fn registered_passes(&self) -> &[PassDef] {
        &self.passes
    }
}
