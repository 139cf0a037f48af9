//! The driver: a compile from source to MLIR, to an object, to a `.so` and
//! into the JIT, with its options, its result and its manifest. It is the top layer: it
//! calls the frontend, the passes and the backend, and
//! [`CompilationContext::with_defaults`] wires the built-in extensions into
//! a registry.

pub mod cache;
mod compiler;
pub mod jit;
pub mod manifest;
pub mod many;

pub use many::{compile_many, Graph, GraphNode, ManyTimings};

pub use compiler::{Compiler, Source};
pub use jit::{compile_to_jit, Jit, JitNode};

use crate::abi::externs::ExternFunction;
use crate::abi::signature::NodeSignature;
pub use crate::backend::OptLevel;
use crate::backend::{self, link::Linker};
use crate::diagnostics::{Error, Result, SourceMap};
use crate::dialect::ir::Operation;
use crate::frontend;
use crate::passes;
use crate::registry::{self as context, CompilationContext};
use crate::stack::with_compile_stack;
use crate::types::{self, ConstValue};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

impl CompilationContext {
    /// A context with every built-in registered (primitives, signals,
    /// outputs, containers, builtins, math, datetime and timedelta).
    pub fn with_defaults() -> Result<Self> {
        let mut ctx = Self::new()?;
        crate::extensions::register_defaults(&mut ctx)?;
        ctx.mark_builtins();
        Ok(ctx)
    }
}

/// Constant parameter values by name.
pub type Constants = indexmap::IndexMap<String, ConstValue>;

/// Compilation options. Those that change the generated code are part of
/// the semantic key; `linker` and `filename` are not.
#[derive(Clone, Debug)]
pub struct CompilationOptions {
    /// LLVM optimisation level.
    pub opt_level: OptLevel,
    /// Allow fast-math float transformations.
    pub fastmath: bool,
    /// Mark every internal function `alwaysinline`.
    pub force_inline: bool,
    /// Prefix of the exported symbol; the key follows it.
    pub symbol_prefix: String,
    /// Bitcode files linked into the module before optimisation
    /// (`--link-bitcode`), typically the bodies of `@extern` functions, which
    /// then inline into the node. A file that is not bitcode LLVM 22 reads
    /// is a warning, and calls stay external.
    pub link_bitcode: Vec<PathBuf>,
    /// Bitcode given as bytes, linked like `link_bitcode` (after it); see
    /// [`CompilationOptions::with_bitcode`].
    pub bitcode: Vec<Bitcode>,
    /// Give linked bitcode's functions internal linkage (the default), so
    /// the `.so` exports only the node and LLVM drops them once inlined.
    /// With `false` they keep their linkage and the `.so` exports them.
    pub internalize: bool,
    /// Target CPU (`None`: the host's, with its features), e.g. `x86-64`,
    /// `haswell`, `znver3`.
    pub target_cpu: Option<String>,
    /// File name used in diagnostics.
    pub filename: String,
    /// How `compile_to_so` links the object.
    pub linker: Linker,
    /// Write every stage into this directory: the cfunc IR, the IR after
    /// each pass, the llvm dialect, LLVM IR before and after optimisation
    /// and the assembly (`CFUNCC_DUMP_DIR` for `cfuncc`). Never changes the
    /// generated code.
    pub dump_dir: Option<PathBuf>,
    /// Verify the IR after every pass (`--verify-each`), not only once after
    /// the pipeline: a pass that breaks the IR is then named and stops the
    /// pipeline. Never changes the generated code.
    pub verify_each: bool,
    /// The pass pipeline from the cfunc dialect to the llvm dialect
    /// (`--pass-pipeline`): cfunc passes, registered passes and upstream
    /// MLIR passes, as `cfunc-opt` takes them. `None`: the context's default
    /// pipeline (the built-ins and the registered passes placed in it).
    /// Part of the semantic key unless it spells out the built-in default.
    pub pass_pipeline: Option<String>,
    /// Passes left out of the pipeline (`--disable-pass`), by name: what a
    /// pass buys is the difference with and without it. Part of the
    /// semantic key (the pipeline that runs is).
    pub disable_passes: Vec<String>,
    /// DWARF line tables pointing at the Python source (`-g`): every
    /// instruction's line and column in `filename`. The code is the same
    /// as without, so not part of the semantic key; the `.so`'s bytes
    /// differ, so part of the cache key.
    pub debug_info: bool,
    /// The seed's convention for `datetime` and `timedelta`
    /// (`--datetime-as-int`): both annotations stand for plain int64
    /// nanoseconds with integer arithmetic (`State[datetime] = 0`,
    /// `stamp + 1_000_000_000`). Off by default: they are typed. Changes the
    /// generated code, so it is part of the semantic and cache keys.
    pub datetime_as_int: bool,
}

impl Default for CompilationOptions {
    fn default() -> Self {
        Self {
            opt_level: OptLevel::O2,
            fastmath: false,
            force_inline: false,
            symbol_prefix: "_gc_numba_".into(),
            link_bitcode: Vec::new(),
            bitcode: Vec::new(),
            internalize: true,
            target_cpu: None,
            filename: "<node>".into(),
            linker: Linker::Builtin,
            dump_dir: None,
            verify_each: false,
            pass_pipeline: None,
            disable_passes: Vec::new(),
            debug_info: false,
            datetime_as_int: false,
        }
    }
}

/// Runs `f` on `ctx`, or, under `--datetime-as-int`, on a context whose
/// `datetime` and `timedelta` annotations stand for int64
/// (`extensions::datetime::as_int`; a fresh MLIR context per compile, the
/// price of a compatibility option).
fn in_context<T>(
    ctx: &CompilationContext,
    options: &CompilationOptions,
    f: impl FnOnce(&CompilationContext) -> Result<T>,
) -> Result<T> {
    if options.datetime_as_int {
        let derived =
            CompilationContext::from_registry(crate::extensions::datetime::as_int(ctx.registry()))?;
        f(&derived)
    } else {
        f(ctx)
    }
}

impl CompilationOptions {
    /// Adds in-memory LLVM bitcode to link, as `--link-bitcode` does for a
    /// file; `name` appears in warnings.
    ///
    /// ```
    /// let bc: Vec<u8> = Vec::new(); // e.g. the output of `clang -c -emit-llvm`
    /// let opts = cfuncc::CompilationOptions::default().with_bitcode("book.bc", bc);
    /// assert_eq!(opts.bitcode[0].name, "book.bc");
    /// ```
    pub fn with_bitcode(mut self, name: &str, bytes: impl Into<std::sync::Arc<[u8]>>) -> Self {
        self.bitcode.push(Bitcode {
            name: name.to_string(),
            bytes: bytes.into(),
        });
        self
    }
}

/// LLVM bitcode held in memory, to link into a node's module.
#[derive(Clone)]
pub struct Bitcode {
    /// A name for messages (a file name, say).
    pub name: String,
    /// The bitcode.
    pub bytes: std::sync::Arc<[u8]>,
}

impl std::fmt::Debug for Bitcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bitcode({}, {} bytes)", self.name, self.bytes.len())
    }
}

/// Which stage `compile_to_mlir` stops after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The cfunc dialect, straight from the frontend.
    Cfunc,
    /// After the named pass of the default pipeline.
    AfterPass(String),
    /// The llvm dialect, after the whole pipeline.
    LlvmDialect,
}

/// Wall time of each phase of a compilation.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    /// Python parsing.
    pub parse: Duration,
    /// AST → cfunc dialect (includes parsing).
    pub frontend: Duration,
    /// The MLIR pass pipeline.
    pub passes: Duration,
    /// llvm dialect → LLVM IR, plus IR transforms.
    pub translate: Duration,
    /// LLVM optimisation.
    pub llvm_opt: Duration,
    /// Object emission.
    pub codegen: Duration,
    /// Linking the shared object; for `compile_to_jit`, loading the object
    /// into the JIT (adding it, linking it, looking its symbols up).
    pub link: Duration,
    /// Per-pass times.
    pub per_pass: Vec<(String, Duration)>,
}

impl Timings {
    /// Adds `other`'s phases to these (per pass by name), as
    /// `compile_many` sums its nodes'.
    pub fn add(&mut self, other: &Timings) {
        self.parse += other.parse;
        self.frontend += other.frontend;
        self.passes += other.passes;
        self.translate += other.translate;
        self.llvm_opt += other.llvm_opt;
        self.codegen += other.codegen;
        self.link += other.link;
        for (name, d) in &other.per_pass {
            match self.per_pass.iter_mut().find(|(n, _)| n == name) {
                Some((_, t)) => *t += *d,
                None => self.per_pass.push((name.clone(), *d)),
            }
        }
    }
}

/// Everything a host needs to load and drive a compiled node.
#[derive(Clone, Debug)]
pub struct CompilationResult {
    /// The shared object.
    pub so_path: PathBuf,
    /// The exported node symbol.
    pub native_name: String,
    /// The exported fault-record accessor.
    pub fault_symbol: String,
    /// The exported self-description, `const char *<native_name>_layout(void)`.
    pub layout_symbol: String,
    /// The CPU the code was generated for, and the LLVM features enabled
    /// beyond it (the host's, by default): a machine without them cannot
    /// run the `.so`.
    pub target: (String, String),
    /// 16 hex digits identifying the generated code.
    pub semantic_key: String,
    /// The optimised LLVM IR, from `compile_to_object`; `compile_to_so`
    /// does not print it (2% of a small compile).
    pub llvm_ir: Option<String>,
    /// The LLVM IR before LLVM's optimisation pipeline (after linking and
    /// the transforms of `backend/transform.rs`), from `compile_to_object`.
    pub llvm_ir_unoptimized: Option<String>,
    /// The externs the compiled code imports: those the node calls whose
    /// definitions no linked bitcode provided. The host process must define
    /// them (the manifest lists them as `externs`).
    pub imported_externs: Vec<ExternFunction>,
    /// Problems that did not stop the compilation, such as a
    /// `--link-bitcode` file that is not bitcode; `cfuncc` prints them on
    /// stderr.
    pub warnings: Vec<String>,
    /// The node's interface: inputs, outputs, state layout.
    pub signature: NodeSignature,
    /// ABI parameter names in order.
    pub abi: Vec<String>,
    /// The source categories that contributed the ABI parameters after
    /// the built-in prefix, in ABI order.
    pub categories: Vec<context::SourceCategory>,
    /// The options used.
    pub options: CompilationOptions,
    /// Where the time went.
    pub timings: Timings,
    /// The linker that wrote the `.so` (`compile_to_so` only): the one
    /// asked for in `options.linker`, except that `Linker::Builtin` falls
    /// back to `Linker::System` for an object it declines.
    pub linker_used: Linker,
    /// Why the builtin linker declined the object, when `compile_to_so`
    /// fell back to the system linker (`linker_used` is then `System`).
    pub link_fallback: Option<String>,
    /// What the registered signal processors attached:
    /// `{processor: {input: value}}` (also in the manifest).
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl CompilationResult {
    /// The state slots that point at host memory: struct and array state,
    /// in slot order. The seed's hosts allocate a zeroed buffer of
    /// [`CompilationResult::struct_state_sizes`] bytes for each.
    pub fn struct_state_indices(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .signature
            .state
            .iter()
            .filter(|s| s.buffer_size().is_some())
            .map(|s| s.slot)
            .collect();
        v.sort();
        v
    }

    /// The byte sizes of the struct and array state slots, matching
    /// [`CompilationResult::struct_state_indices`].
    pub fn struct_state_sizes(&self) -> Vec<usize> {
        let mut v: Vec<(usize, usize)> = self
            .signature
            .state
            .iter()
            .filter_map(|s| s.buffer_size().map(|size| (s.slot, size)))
            .collect();
        v.sort();
        v.into_iter().map(|(_, size)| size).collect()
    }

    /// The seed's `ordered_input_signals`: the inputs' names in ABI order
    /// (the seed lists the host's signal objects; a name is what a host
    /// maps to one).
    pub fn ordered_input_signals(&self) -> Vec<String> {
        self.signature
            .inputs
            .iter()
            .map(|i| i.name.clone())
            .collect()
    }

    /// The seed's `output_types`: each output's type, in output order.
    pub fn output_types(&self) -> Vec<types::Ty> {
        self.signature.outputs.iter().map(|o| o.ty).collect()
    }

    /// The seed's `named_outputs`: `{name: type}` in output order for a
    /// node returning `Outputs(...)`, `None` for one `Signal[T]` output.
    pub fn named_outputs(&self) -> Option<Vec<(String, types::Ty)>> {
        self.signature.named_outputs.then(|| {
            self.signature
                .outputs
                .iter()
                .map(|o| (o.name.clone(), o.ty))
                .collect()
        })
    }

    /// The seed's `state_values`: each state slot's initial value, in slot
    /// order (what a host writes before START; START writes the same).
    /// Scalars give their value, a struct `{field: value}` for every field
    /// (zero where the initializer gives none), a container `null`.
    pub fn state_values(&self) -> Vec<serde_json::Value> {
        let mut state: Vec<&crate::abi::signature::StateSpec> =
            self.signature.state.iter().collect();
        state.sort_by_key(|s| s.slot);
        state.iter().map(|s| manifest::state_value(s)).collect()
    }

    /// The seed's `nrt_state_indices`: the state slots that hold a
    /// container (a list or a dict), in slot order.
    pub fn nrt_state_indices(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .signature
            .state
            .iter()
            .filter(|s| s.container.is_some())
            .map(|s| s.slot)
            .collect();
        v.sort();
        v
    }

    /// The manifest (design.md §7) as JSON.
    pub fn manifest(&self) -> serde_json::Value {
        manifest::to_json(self)
    }
}

struct Lowered<'c> {
    module: melior::ir::Module<'c>,
    sig: NodeSignature,
    map: SourceMap,
    parse: Duration,
    frontend: Duration,
}

fn lower_frontend<'c>(
    ctx: &'c CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
) -> Result<Lowered<'c>> {
    let t = Instant::now();
    let map = SourceMap::new(&options.filename, source);
    let consts = args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let (module, sig, parse) = frontend::lower(ctx, &map, function, &consts)?;
    let op = Operation::of_module(&module);
    passes::verify(op, Some(&map))?;
    if options.dump_dir.is_some() {
        dump(options, "00-cfunc.mlir", &passes::print_verified_op(op))?;
    }
    Ok(Lowered {
        module,
        sig,
        map,
        parse,
        frontend: t.elapsed(),
    })
}

/// Compiles to MLIR text at `stage`.
pub fn compile_to_mlir(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
    stage: Stage,
) -> Result<String> {
    compile_to_mlir_timed(ctx, source, function, args, options, stage).map(|(text, _)| text)
}

/// Compiles to MLIR text at `stage`, with the time of each phase so far
/// (`cfuncc compile --emit cfunc --timings`).
pub fn compile_to_mlir_timed(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
    stage: Stage,
) -> Result<(String, Timings)> {
    in_context(ctx, options, |ctx| {
        with_compile_stack(|| mlir_timed(ctx, source, function, args, options, stage))
    })
}

fn mlir_timed(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
    stage: Stage,
) -> Result<(String, Timings)> {
    let l = lower_frontend(ctx, source, function, args, options)?;
    let op = Operation::of_module(&l.module);
    let mut timings = Timings {
        parse: l.parse,
        frontend: l.frontend,
        ..Default::default()
    };
    let pipeline = match &stage {
        Stage::Cfunc => return Ok((passes::print_verified_op(op), timings)),
        Stage::LlvmDialect => pipeline_of(ctx, options)?,
        Stage::AfterPass(name) => {
            let default = passes::pipeline_for(ctx).map_err(Error::Usage)?;
            let names: Vec<&str> = default.split(',').collect();
            let Some(i) = names.iter().position(|n| n == name) else {
                return Err(Error::Usage(format!(
                    "unknown pass '{name}'; passes: {}",
                    names.join(", ")
                )));
            };
            names[..=i].join(",")
        }
    };
    let t = Instant::now();
    timings.per_pass =
        passes::run_pipeline(ctx, op, &pipeline, Some(&l.map), &run_options(options))?;
    timings.passes = t.elapsed();
    let text = passes::print_op(op);
    if stage == Stage::LlvmDialect {
        dump(options, &dump_name(&timings, "llvm-dialect.mlir", 0), &text)?;
    }
    Ok((text, timings))
}

/// The pipeline a compile runs: `options.pass_pipeline`, else the
/// context's default.
fn pipeline_of(ctx: &CompilationContext, options: &CompilationOptions) -> Result<String> {
    let pipeline = match &options.pass_pipeline {
        Some(p) => p.clone(),
        None => passes::pipeline_for(ctx).map_err(Error::Usage)?,
    };
    if options.disable_passes.is_empty() {
        return Ok(pipeline);
    }
    let mut steps = passes::parse_pipeline(&pipeline)
        .map_err(|e| Error::Usage(format!("--pass-pipeline: {e}")))?;
    for name in &options.disable_passes {
        if !steps.iter().any(|s| s == name) {
            return Err(Error::Usage(format!(
                "--disable-pass {name}: the pipeline has no such pass ({})",
                steps.join(",")
            )));
        }
        steps.retain(|s| s != name);
    }
    Ok(steps.join(","))
}

/// Checks that a pipeline other than the default left only llvm dialect
/// ops, which is what the translation to LLVM IR takes.
fn check_lowered(
    op: melior::ir::OperationRef,
    options: &CompilationOptions,
    pipeline: &str,
) -> Result<()> {
    use melior::ir::operation::OperationLike;
    if options.pass_pipeline.is_none() && options.disable_passes.is_empty() {
        return Ok(());
    }
    let mut left = std::collections::BTreeSet::new();
    let _ = op.walk(melior::ir::operation::WalkOrder::PreOrder, |o| {
        let name = o.name().as_string_ref().as_str().unwrap_or("").to_string();
        if !name.starts_with("llvm.") && name != "builtin.module" {
            left.insert(name);
        }
        melior::ir::operation::WalkResult::Advance
    });
    if left.is_empty() {
        return Ok(());
    }
    let left: Vec<String> = left.into_iter().take(5).collect();
    Err(Error::Usage(format!(
        "the pipeline '{pipeline}' does not lower the node to the llvm dialect: {} remain; \
         end the pipeline with the default's tail (... cfunc-lower-state,cfunc-to-llvm), or use \
         cfunc-opt to print a partial pipeline's IR",
        left.join(", ")
    )))
}

/// The pipeline's instrumentation for `options`: with a dump directory,
/// the IR after each pass goes there.
fn run_options(options: &CompilationOptions) -> passes::RunOptions {
    passes::RunOptions {
        dump_dir: options.dump_dir.clone(),
        verify_each: options.verify_each,
        ..Default::default()
    }
}

/// Writes `text` as `name` into the dump directory, if there is one.
fn dump(options: &CompilationOptions, name: &str, text: &str) -> Result<()> {
    let Some(dir) = &options.dump_dir else {
        return Ok(());
    };
    std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(dir.join(name), text))
        .map_err(|e| Error::Usage(format!("dump directory {}: {e}", dir.display())))
}

/// The dump file name of the stage `extra` places after the passes:
/// numbered after them, so a directory listing is in pipeline order.
fn dump_name(timings: &Timings, name: &str, extra: usize) -> String {
    // per_pass ends with the (verify) entry, not a pass.
    let passes = timings.per_pass.len().saturating_sub(1);
    format!("{:02}-{name}", passes + 1 + extra)
}

/// The semantic key: SHA-256 over the canonical cfunc IR after
/// `cfunc-resolve` (without locations, so comments and layout do not
/// count; with the extensions' lowerings, so two contexts that lower a call
/// differently get different keys), the ABI, the
/// code-changing options (opt level, fastmath, force-inline, target CPU,
/// symbol prefix, internalisation), the externs the node calls, the linked
/// bitcode and the runtime, and the compiler version.
fn semantic_key(
    resolved_ir: &str,
    abi: &[String],
    options: &CompilationOptions,
    cpu: &str,
    externs: &[ExternFunction],
    bitcode: &[(String, std::sync::Arc<[u8]>)],
) -> String {
    let mut h = Sha256::new();
    h.update(b"cfuncc ");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\nir\n");
    h.update(resolved_ir.as_bytes());
    h.update(format!(
        "\nabi {}\nopt {} fastmath {} inline {} cpu {} prefix {:?} internalize {} datetime_as_int {}\n",
        abi.join(","),
        options.opt_level,
        options.fastmath,
        options.force_inline,
        cpu,
        options.symbol_prefix,
        options.internalize,
        options.datetime_as_int,
    ));
    for e in externs {
        h.update(format!("extern {}\n", e.key()));
    }
    for (_, bytes) in bitcode {
        h.update(Sha256::digest(bytes));
    }
    h.update(runtime_digest());
    let digest = h.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 over the container runtime a node may contain (its bitcode and
/// its machine-code parts, about 80 KB), computed once per process.
fn runtime_digest() -> &'static [u8] {
    static DIGEST: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DIGEST.get_or_init(|| {
        let mut h = Sha256::new();
        for part in backend::runtime::fingerprint() {
            h.update(Sha256::digest(part));
        }
        h.finalize().to_vec()
    })
}

/// The bitcode to link, in order: files, then in-memory modules.
fn bitcode_inputs(options: &CompilationOptions) -> Result<Vec<(String, std::sync::Arc<[u8]>)>> {
    let mut out = Vec::new();
    for bc in &options.link_bitcode {
        let bytes =
            std::fs::read(bc).map_err(|e| Error::Usage(format!("{}: {e}", bc.display())))?;
        out.push((bc.display().to_string(), bytes.into()));
    }
    for bc in &options.bitcode {
        out.push((bc.name.clone(), bc.bytes.clone()));
    }
    Ok(out)
}

/// Output of the backend short of linking.
#[derive(Clone, Debug)]
pub struct Object {
    /// Object file bytes.
    pub bytes: Vec<u8>,
    /// The result, minus the path.
    pub result: CompilationResult,
}

/// Compiles to an object in memory, with the optimised LLVM IR in the
/// result (`--emit obj`, `--emit llvm-ir`).
pub fn compile_to_object(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
) -> Result<Object> {
    compile_object(ctx, source, function, args, options, ObjectFor::Emit)
}

/// What a compiled object is for, which decides what goes into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ObjectFor {
    /// `--emit`: whole (the runtime's machine-code parts as assembly), and
    /// the LLVM IR text in the result.
    Emit,
    /// A link into a `.so`, or a load into the JIT: the runtime's parts
    /// left out, for the link to add as the objects they were built as
    /// (`runtime::parts_called_by`), once per `.so`, and for the JIT to
    /// load once per session; without the IR text.
    Link,
}

pub(crate) fn compile_object(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
    purpose: ObjectFor,
) -> Result<Object> {
    in_context(ctx, options, |ctx| {
        with_compile_stack(|| object(ctx, source, function, args, options, purpose))
    })
}

fn object(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
    purpose: ObjectFor,
) -> Result<Object> {
    let print_llvm_ir = purpose == ObjectFor::Emit;
    let l = lower_frontend(ctx, source, function, args, options)?;
    let op = Operation::of_module(&l.module);
    let t = Instant::now();
    // The IR after cfunc-resolve goes into the semantic key: it holds every
    // extension's lowering (calls, methods, properties, patterns) besides
    // the frontend's output, and no locations. A pipeline without
    // cfunc-resolve keys on the frontend's IR; the steps of any pipeline
    // but the built-in default are keyed too.
    let pipeline = pipeline_of(ctx, options)?;
    let parsed = passes::parse_pipeline(&pipeline)
        .map_err(|e| Error::Usage(format!("--pass-pipeline: {e}")))?;
    if options.pass_pipeline.is_some() {
        passes::check_upstream(ctx, &parsed)
            .map_err(|e| Error::Usage(format!("--pass-pipeline: {e}")))?;
    }
    let steps = passes::steps_in(ctx, &parsed)
        .map_err(|e| Error::Usage(format!("--pass-pipeline: {e}")))?;
    let pipeline_key = passes::pipeline_key(&steps);
    let resolve = passes::PASSES[0].name;
    let frontend_ir = (!parsed.iter().any(|s| s == resolve)).then(|| passes::print_verified_op(op));
    let report = passes::run_steps(
        ctx,
        op,
        &steps,
        &passes::RunOptions {
            capture_after: frontend_ir.is_none().then(|| resolve.into()),
            ..run_options(options)
        },
    )
    .map_err(|f| passes::diag_error(&f.pass, &f.diags, Some(&l.map)))?;
    check_lowered(l.module.as_operation(), options, &pipeline)?;
    if options.debug_info {
        passes::debug_info::attach(op).map_err(|e| Error::Internal(format!("-g: {e}")))?;
    }
    let per_pass = report.timings();
    let resolved_ir = report
        .captured
        .or(frontend_ir)
        .ok_or_else(|| Error::Internal("cfunc-resolve left no IR to key on".into()))?;
    let passes_time = t.elapsed();
    let mut timings = Timings {
        parse: l.parse,
        frontend: l.frontend,
        passes: passes_time,
        per_pass,
        ..Default::default()
    };
    if options.dump_dir.is_some() {
        let name = dump_name(&timings, "llvm-dialect.mlir", 0);
        dump(options, &name, &passes::print_op(op))?;
    }

    let t = Instant::now();
    let target = backend::Target::cached(options.target_cpu.as_deref(), options.opt_level)?;
    let abi: Vec<String> = frontend::codegen::abi_params(ctx)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let bitcode = bitcode_inputs(options)?;
    let key = semantic_key(
        &(resolved_ir + &pipeline_key),
        &abi,
        options,
        &format!("{} {}", target.cpu, target.features),
        &l.sig.externs,
        &bitcode,
    );
    let native_name = format!("{}{}", options.symbol_prefix, key);
    let fault_symbol = format!("{native_name}_fault");
    let layout_symbol = format!("{native_name}_layout");
    let m = backend::LlvmModule::translate(op)?;
    backend::transform::add_text_accessor(
        &m,
        &layout_symbol,
        &manifest::layout(
            &key,
            &l.sig,
            &extra_categories(ctx),
            (&target.cpu, &target.features),
        )
        .to_string(),
    );
    let runtime_linked = backend::runtime::link_if_needed(&m)?;
    let mut linked = runtime_linked.clone();
    let mut user_linked = Vec::new();
    let mut warnings = Vec::new();
    for (name, bytes) in &bitcode {
        match backend::transform::link_bitcode(&m, bytes, name)? {
            Ok(defined) => user_linked.extend(defined),
            Err(warning) => warnings.push(warning),
        }
    }
    linked.extend(user_linked.iter().cloned());
    backend::transform::export_only(
        &m,
        &[
            (l.sig.function.as_str(), &native_name),
            (passes::lower_faults::FAULT_ACCESSOR, &fault_symbol),
            (&layout_symbol, &layout_symbol),
        ],
        if options.internalize {
            &[]
        } else {
            &user_linked
        },
    )?;
    backend::transform::extern_attributes(&m, &l.sig.externs);
    let imported_externs = backend::transform::still_declared(&m, &l.sig.externs);
    if options.force_inline {
        backend::transform::force_inline(&m, &linked);
    } else if options.opt_level != OptLevel::O0 {
        backend::transform::inline_phases(&m, &l.sig.function);
        backend::transform::inline_single_calls(&m, &runtime_linked);
    }
    if options.fastmath {
        backend::transform::fastmath(&m);
    }
    // A node of thousands of lines is cut into parts that LLVM optimises
    // in linear time (backend/split.rs).
    if options.opt_level != OptLevel::O0 && !options.debug_info && !options.force_inline {
        backend::split::split_large_functions(&m);
    }
    target.prepare(&m);
    m.verify()?;
    let llvm_ir_unoptimized = print_llvm_ir.then(|| m.to_ir());
    timings.translate = t.elapsed();
    if options.dump_dir.is_some() {
        dump(options, &dump_name(&timings, "llvm-ir.ll", 1), &m.to_ir())?;
    }
    let t = Instant::now();
    target.optimize(&m, options.opt_level)?;
    backend::transform::accessors_to_asm(&m, &[&fault_symbol, &layout_symbol]);
    // The runtime's cold paths, sort and slice arrive as machine code, and
    // only when the optimised node still calls them: as assembly in a whole
    // object (`--emit`), or as their own objects at the link or the JIT's
    // load.
    if purpose == ObjectFor::Emit {
        backend::runtime::append_machine_code(&m);
    }
    timings.llvm_opt = t.elapsed();
    let llvm_ir = print_llvm_ir.then(|| m.to_ir());
    if options.dump_dir.is_some() {
        dump(
            options,
            &dump_name(&timings, "llvm-ir-opt.ll", 2),
            &m.to_ir(),
        )?;
        let asm = target.emit_assembly(&m)?;
        dump(options, &dump_name(&timings, "asm.s", 3), &asm)?;
    }
    let t = Instant::now();
    let bytes = target.emit_object(&m)?;
    timings.codegen = t.elapsed();
    Ok(Object {
        bytes,
        result: CompilationResult {
            so_path: PathBuf::new(),
            native_name,
            fault_symbol,
            layout_symbol,
            target: (target.cpu.clone(), target.features.clone()),
            semantic_key: key,
            llvm_ir,
            metadata: ctx.process_signals(&l.sig.inputs)?,
            llvm_ir_unoptimized,
            imported_externs,
            warnings,
            signature: l.sig,
            abi,
            categories: extra_categories(ctx),
            options: options.clone(),
            timings,
            linker_used: options.linker,
            link_fallback: None,
        },
    })
}

/// Compiles `function` in `source` to the shared object `out_path`.
pub fn compile_to_so(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
    out_path: &Path,
) -> Result<CompilationResult> {
    let obj = compile_object(ctx, source, function, args, options, ObjectFor::Link)?;
    let t = Instant::now();
    let report = link_with_runtime(&[&obj.bytes], out_path, options.linker)?;
    let mut result = obj.result;
    result.timings.link = t.elapsed();
    result.linker_used = report.linker_used;
    result.link_fallback = report.fallback;
    result.so_path = out_path.to_path_buf();
    Ok(result)
}

/// Links node objects compiled for [`ObjectFor::Link`] into the `.so` at
/// `out`, with each runtime part they call, once.
pub(crate) fn link_with_runtime(
    objects: &[&[u8]],
    out: &Path,
    linker: backend::link::Linker,
) -> Result<backend::link::LinkReport> {
    let mut all = objects.to_vec();
    all.extend(
        backend::runtime::parts_called_by(objects)?
            .iter()
            .map(|p| p.object),
    );
    backend::link::link_shared_many(&all, out, linker)
}

/// The source categories that contribute ABI parameters after the built-in
/// prefix, in ABI order.
fn extra_categories(ctx: &CompilationContext) -> Vec<context::SourceCategory> {
    ctx.categories()
        .iter()
        .filter(|c| c.order >= 0)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests;
