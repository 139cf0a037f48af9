//! The named passes and the pass manager that runs them.
//!
//! ```text
//! cfunc-resolve              cfunc.call / cfunc.getattr → registered lowerings
//! cfunc-lower-arith          floordiv, mod, ipow, shifts, to_int → arith/math/scf
//! cfunc-simplify-containers  forward known reads: get after set, len after appends
//! cfunc-fuse-dict-updates    d[k] = d.get(k, x) + v, d[k] += v → one probe (cfunc.dict_slot)
//! cfunc-lower-containers     list/dict ops → runtime calls + cfunc.check faults
//! cfunc-lower-arrays         array ops → loads/stores + cfunc.check faults
//! cfunc-lower-lifecycle      cfunc.lifecycle → exported ABI function + cf.switch
//! cfunc-lower-faults         cfunc.check → branch to fault record + return
//! cfunc-lower-io             inputs/outputs → llvm loads/stores
//! cfunc-lower-state          state slots → llvm loads/stores
//! cfunc-to-llvm              upstream conversions to the llvm dialect
//! ```
//! A pipeline is a comma-separated list of these names and upstream MLIR
//! pass names (`canonicalize`, `cse`, `func.func(mem2reg)`, ...), so
//! `cfunc-opt` can run any stage alone or mix both kinds. One MLIR pass
//! manager runs it ([`manager`]): each cfunc pass is an MLIR pass object,
//! `cfunc-to-llvm` stands for its upstream conversion passes, and MLIR's
//! verifier, IR printing and timing instrument them all.

pub mod debug_info;
pub mod fuse_dict_updates;
pub mod lower_arith;
pub mod lower_arrays;
pub mod lower_containers;
pub mod lower_faults;
pub mod lower_io;
pub mod lower_lifecycle;
pub mod lower_state;
pub mod manager;
pub use crate::dialect::rewrite as pattern;
pub mod resolve;
pub mod simplify_containers;
pub mod to_llvm;

pub use manager::run_steps;

use crate::diagnostics::{CompileError, Error, Pos, Result, SourceMap};
use crate::dialect::ir::Operation;
use crate::registry::{CompilationContext, PassDef, Placement, Registry};
use pattern::{PassDiag, Statistic};
use std::path::PathBuf;
use std::time::Duration;

/// A cfunc pass: its name, what it does, and how it runs.
pub struct PassInfo {
    /// The name used in pipelines.
    pub name: &'static str,
    /// One line for `--list-passes`.
    pub summary: &'static str,
    imp: Impl,
}

impl PassInfo {
    /// Whether the pass is upstream MLIR passes under one name (as MLIR's
    /// registered pass pipelines are), rather than an MLIR pass of its own.
    pub fn is_upstream(&self) -> bool {
        matches!(self.imp, Impl::Upstream { .. })
    }
}

/// A cfunc pass's body: runs on the module; an `Err` is every error it
/// found, at their locations.
type PassFn = for<'c> fn(&CompilationContext, Operation<'c>) -> Result<(), Vec<PassDiag<'c>>>;

/// How a cfunc pass runs in the pass manager.
#[derive(Clone, Copy)]
enum Impl {
    /// An MLIR pass (`mlirCreateExternalPass`) calling this function on the
    /// module.
    Pass(PassFn),
    /// Upstream MLIR passes that join the pass manager in its place
    /// (created by `create`, in the order `passes` names them), and the
    /// counters to take on the IR they start from.
    Upstream {
        passes: &'static str,
        create: fn() -> Vec<mlir_sys::MlirPass>,
        count: for<'c> fn(Operation<'c>),
    },
}

/// Every cfunc pass, in default pipeline order.
pub const PASSES: &[PassInfo] = &[
    PassInfo {
        name: "cfunc-resolve",
        summary: "resolve cfunc.call/cfunc.getattr through the registered handlers",
        imp: Impl::Pass(resolve::run),
    },
    PassInfo {
        name: "cfunc-lower-arith",
        summary: "Python //, %, **, shifts and float->int to arith/math/scf",
        imp: Impl::Pass(lower_arith::run),
    },
    PassInfo {
        name: "cfunc-simplify-containers",
        summary: "forward known container reads (get after set, repeated get, len after appends)",
        imp: Impl::Pass(|_, m| simplify_containers::run(m)),
    },
    PassInfo {
        name: "cfunc-fuse-dict-updates",
        summary: "d[k] = d.get(k, x) + v and d[k] += v probe the dict once (cfunc.dict_slot)",
        imp: Impl::Pass(|_, m| fuse_dict_updates::run(m).map(|_| ())),
    },
    PassInfo {
        name: "cfunc-lower-containers",
        summary: "list and dict ops to calls into the container runtime, with fault checks",
        imp: Impl::Pass(lower_containers::run),
    },
    PassInfo {
        name: "cfunc-lower-arrays",
        summary: "fixed-size array ops to loads and stores, with index fault checks",
        imp: Impl::Pass(lower_arrays::run),
    },
    PassInfo {
        name: "cfunc-lower-lifecycle",
        summary: "cfunc.lifecycle to the exported ABI function dispatching on the phase",
        imp: Impl::Pass(|_, m| lower_lifecycle::run(m)),
    },
    PassInfo {
        name: "cfunc-lower-faults",
        summary: "cfunc.check to a branch that records the fault and returns",
        imp: Impl::Pass(|_, m| lower_faults::run(m)),
    },
    PassInfo {
        name: "cfunc-lower-io",
        summary: "signal inputs and outputs to llvm loads/stores through the ABI arrays",
        imp: Impl::Pass(lower_io::run),
    },
    PassInfo {
        name: "cfunc-lower-state",
        summary: "state slots to llvm loads/stores through state[i]",
        imp: Impl::Pass(lower_state::run),
    },
    PassInfo {
        name: "cfunc-to-llvm",
        summary: "upstream conversions of func/arith/math/scf/cf to the llvm dialect",
        imp: Impl::Upstream {
            passes: to_llvm::TO_LLVM,
            create: to_llvm::create,
            count: to_llvm::count,
        },
    },
];

/// The default pipeline from the cfunc dialect to the llvm dialect.
pub fn default_pipeline() -> String {
    PASSES.iter().map(|p| p.name).collect::<Vec<_>>().join(",")
}

/// Upstream MLIR passes that are useful on cfunc IR, for `--list-passes`.
/// Any registered MLIR pass may appear in a pipeline; these are the ones
/// this project uses or that make sense before `cfunc-to-llvm`.
/// tests/ir/opt/list-passes.mlir runs each of them alone.
pub const UPSTREAM_PASSES: &[(&str, &str)] = &[
    (
        "canonicalize",
        "fold ops and apply each op's canonicalization patterns",
    ),
    (
        "cse",
        "eliminate common subexpressions (ops without side effects)",
    ),
    (
        "inline",
        "inline func.call of private functions (cfunc's phase functions)",
    ),
    ("symbol-dce", "remove private symbols nothing refers to"),
    ("sccp", "sparse conditional constant propagation"),
    (
        "mem2reg",
        "promote llvm.alloca slots to SSA values (anchor: func.func(mem2reg))",
    ),
    ("sroa", "split aggregate memory slots into scalars"),
    (
        "loop-invariant-code-motion",
        "hoist loop-invariant ops out of scf loops",
    ),
    (
        "control-flow-sink",
        "sink ops into the regions that use them",
    ),
    (
        "remove-dead-values",
        "remove unused values, arguments and results",
    ),
    (
        "strip-debuginfo",
        "replace every location with loc(unknown)",
    ),
    ("print-op-stats", "print the number of ops of each kind"),
    ("print-ir", "print the IR at this point of the pipeline"),
    ("convert-scf-to-cf", "scf.while/scf.if to cf branches"),
    ("convert-math-to-llvm", "math ops to llvm intrinsics"),
    ("convert-math-to-libm", "remaining math ops to libm calls"),
    ("convert-arith-to-llvm", "arith ops to llvm ops"),
    ("convert-cf-to-llvm", "cf branches to llvm branches"),
    (
        "convert-func-to-llvm",
        "func.func/call/return to llvm.func/call/return",
    ),
    ("convert-ub-to-llvm", "ub.poison to llvm.mlir.poison"),
    (
        "reconcile-unrealized-casts",
        "fold unrealized_conversion_cast pairs",
    ),
];

/// One step of a pipeline: a cfunc pass or an upstream MLIR pipeline
/// fragment (one pass, possibly under an anchor like `func.func(...)`).
#[derive(Clone, Copy)]
pub enum Step<'a> {
    /// A cfunc pass: an MLIR pass on the module (or, for `cfunc-to-llvm`,
    /// the upstream passes it stands for).
    Cfunc(&'static PassInfo),
    /// A pass registered with `register_pass`: an MLIR pass on the module.
    Registered(&'a PassDef),
    /// Text for `mlirOpPassManagerAddPipeline`, appended to the manager.
    Upstream(&'a str),
}

/// The default pipeline of a context: the built-in passes, with each
/// registered pass at its place (registration order among passes placed
/// at one anchor). An error names a pass whose anchor is not in the
/// pipeline, or a registered pass that takes a built-in's name.
pub fn pipeline_for(cx: &Registry) -> Result<String, String> {
    let mut names: Vec<&str> = PASSES.iter().map(|p| p.name).collect();
    for p in cx.registered_passes() {
        if PASSES.iter().any(|b| b.name == p.name) {
            return Err(format!(
                "registered pass '{}' has the name of a built-in pass; rename it",
                p.name
            ));
        }
        let (anchor, offset) = match &p.placement {
            Placement::ByName => continue,
            Placement::Before(a) => (a, 0),
            Placement::After(a) => (a, 1),
        };
        let Some(i) = names.iter().position(|n| n == anchor) else {
            return Err(format!(
                "pass '{}' is placed {} '{anchor}', which is not in the default pipeline ({})",
                p.name,
                if offset == 0 { "before" } else { "after" },
                names.join(", ")
            ));
        };
        // After an anchor that earlier registrations already follow: after
        // them too, so registration order holds.
        let mut at = i + offset;
        if offset == 1 {
            while at < names.len()
                && cx
                    .registered_passes()
                    .iter()
                    .any(|q| q.name == names[at] && q.placement == Placement::After(anchor.clone()))
            {
                at += 1;
            }
        }
        names.insert(at, &p.name);
    }
    Ok(names.join(","))
}

/// The steps of a parsed pipeline in a context: built-in passes, then the
/// context's registered passes, then upstream MLIR passes. A registered
/// pass under an anchor (`func.func(my-pass)`) is an error: it runs on the
/// module.
pub fn steps_in<'a>(cx: &'a Registry, parsed: &'a [String]) -> Result<Vec<Step<'a>>, String> {
    parsed
        .iter()
        .map(|s| {
            if let Some(p) = PASSES.iter().find(|p| p.name == s) {
                return Ok(Step::Cfunc(p));
            }
            if let Some(p) = cx.registered_pass(s) {
                return Ok(Step::Registered(p));
            }
            // `anchor(name)` after flattening: the innermost name.
            let inner = s
                .rsplit('(')
                .next()
                .unwrap_or(s)
                .trim_end_matches(')')
                .trim();
            if cx.registered_pass(inner).is_some() {
                return Err(format!(
                    "'{inner}' runs on the whole module: write it at the top level of the pipeline, not as '{s}'"
                ));
            }
            Ok(Step::Upstream(s))
        })
        .collect()
}

/// What a pipeline adds to the semantic key: nothing for the built-in
/// default pipeline (so `--pass-pipeline` spelling it out keeps the key),
/// else every step in order and the version of every registered pass
/// among them.
pub fn pipeline_key(steps: &[Step]) -> String {
    let builtin = PASSES.iter().map(|p| p.name);
    let names: Vec<&str> = steps
        .iter()
        .map(|s| match s {
            Step::Cfunc(p) => p.name,
            Step::Registered(p) => p.name.as_str(),
            Step::Upstream(t) => t,
        })
        .collect();
    if names.iter().copied().eq(builtin) {
        return String::new();
    }
    let mut key = format!("pipeline {}\n", names.join(","));
    for s in steps {
        if let Step::Registered(p) = s {
            key += &format!("pass {}\n", p.key());
        }
    }
    key
}

/// Splits a pipeline into steps, one pass each: `builtin.module(...)` is
/// unwrapped, and a nested pipeline `func.func(a,b)` becomes
/// `func.func(a)` then `func.func(b)`, which is the same for passes on
/// isolated ops (a function pass cannot see its siblings; MLIR's pass
/// manager merges the two nested managers again). cfunc passes run on the
/// module: one under an anchor or with options is an error.
pub fn parse_pipeline(pipeline: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for element in split_pipeline(pipeline) {
        flatten(&element, &mut out)?;
    }
    Ok(out)
}

fn flatten(element: &str, out: &mut Vec<String>) -> Result<(), String> {
    let element = element.trim();
    let cfunc = |name: &str| PASSES.iter().any(|p| p.name == name);
    // `name(...)` is an anchor; `name{...}` a pass with options.
    let first = element.find(['(', '{']);
    match first.map(|i| (i, element.as_bytes()[i])) {
        Some((i, b'(')) if element.ends_with(')') => {
            let anchor = element[..i].trim();
            if cfunc(anchor) {
                return Err(format!(
                    "'{anchor}' is a pass, not an op name to nest under"
                ));
            }
            for inner in split_pipeline(&element[i + 1..element.len() - 1]) {
                if cfunc(inner.trim()) {
                    return Err(format!(
                        "'{}' runs on the whole module: write it at the top level of the pipeline, not under '{anchor}'",
                        inner.trim()
                    ));
                }
                let mut nested = Vec::new();
                flatten(&inner, &mut nested)?;
                out.extend(nested.into_iter().map(|n| format!("{anchor}({n})")));
            }
        }
        Some((i, b'{')) if cfunc(element[..i].trim()) => {
            return Err(format!("'{}' takes no options", element[..i].trim()));
        }
        _ => out.push(element.to_string()),
    }
    Ok(())
}

/// The steps of a parsed pipeline.
pub fn steps(parsed: &[String]) -> Vec<Step<'_>> {
    parsed
        .iter()
        .map(|s| match PASSES.iter().find(|p| p.name == s) {
            Some(p) => Step::Cfunc(p),
            None => Step::Upstream(s),
        })
        .collect()
}

/// Checks that MLIR's pipeline parser knows every upstream step, so a typo
/// is reported before any pass runs.
pub fn check_upstream(cx: &CompilationContext, parsed: &[String]) -> Result<(), String> {
    to_llvm::register_upstream_passes();
    for step in steps_in(cx, parsed)? {
        let Step::Upstream(text) = step else { continue };
        if let Err(err) = manager::check_pipeline(cx, text) {
            return Err(format!(
                "'{text}' is neither a cfunc pass nor an MLIR pass: {err}"
            ));
        }
    }
    Ok(())
}

/// Options for a pipeline run: verification and MLIR's instrumentation
/// (`--mlir-print-*`, timing, statistics), and cfuncc's own records.
#[derive(Default, Clone, Debug)]
pub struct RunOptions {
    /// Verify the IR after every pass (MLIR's verify-each), not only once
    /// after the pipeline: a pass that breaks the IR is then named, and no
    /// later pass sees the broken IR. Costs a verification per pass.
    pub verify_each: bool,
    /// Print the IR after every pass to stderr.
    pub print_after_all: bool,
    /// Print the IR before every pass to stderr.
    pub print_before_all: bool,
    /// Print the IR after a pass only when the pass changed it (implies
    /// printing after passes).
    pub print_after_change: bool,
    /// Print the IR after a pass that failed.
    pub print_after_failure: bool,
    /// Print the whole module, not just the op a nested pass ran on
    /// (disables the context's multithreading, as MLIR requires).
    pub print_module_scope: bool,
    /// Write the dumps into this directory (MLIR's tree: a folder per op
    /// and its symbol, `N_<pass>.mlir` files) instead of stderr; alone it
    /// implies printing after every pass.
    pub tree_dir: Option<PathBuf>,
    /// Print locations (`loc(...)`) in the dumps.
    pub print_debuginfo: bool,
    /// MLIR's execution time report, printed to stderr when the run ends.
    pub native_timing: bool,
    /// Write the IR after each step to `NN-<step>.mlir` here, numbered by
    /// the step's position (`CFUNCC_DUMP_DIR`): cfuncc's stage files, not
    /// MLIR's printing. Consecutive upstream steps give one file, after
    /// the last of them.
    pub dump_dir: Option<PathBuf>,
    /// Keep the IR printed (without locations) after the pass of this name,
    /// in [`PipelineReport::captured`].
    pub capture_after: Option<String>,
}

/// Per-pass wall time of a run; the last entry, `(verify)`, is the time
/// spent verifying.
pub type PassTimings = Vec<(String, Duration)>;

/// What one pass of a run did: a cfunc pass, or consecutive upstream
/// steps (whose boundaries the C API does not show).
#[derive(Clone, Debug)]
pub struct PassRun {
    /// The step as written in the (flattened) pipeline; consecutive
    /// upstream steps joined by commas.
    pub name: String,
    /// Whether it is upstream MLIR passes.
    pub upstream: bool,
    /// Wall time of the pass alone; of upstream steps, from the end of the
    /// cfunc pass before them to the start of the one after (MLIR's
    /// verification and IR printing between them included).
    pub time: Duration,
    /// The pass's counters (cfunc passes only).
    pub statistics: Vec<Statistic>,
}

/// What a pipeline run did, pass by pass.
#[derive(Clone, Debug, Default)]
pub struct PipelineReport {
    /// The passes that ran, in order (on failure, up to the failing one).
    pub passes: Vec<PassRun>,
    /// Time spent verifying the module: once after the passes, or with
    /// [`RunOptions::verify_each`] the verifier's time after each pass that
    /// no row holds.
    pub verify: Duration,
    /// The IR after the pass [`RunOptions::capture_after`] names.
    pub captured: Option<String>,
}

impl PipelineReport {
    /// Per-pass times, then `(verify)`.
    pub fn timings(&self) -> PassTimings {
        let mut t: PassTimings = self
            .passes
            .iter()
            .map(|p| (p.name.clone(), p.time))
            .collect();
        t.push(("(verify)".into(), self.verify));
        t
    }

    /// The time of every pass plus verification.
    pub fn total(&self) -> Duration {
        self.passes.iter().map(|p| p.time).sum::<Duration>() + self.verify
    }

    /// The time report in the layout of MLIR's execution time report: wall
    /// time per row of [`PipelineReport::passes`], in pipeline order, with
    /// its share of the total; `before` and `after` are rows for the
    /// caller's own phases (parsing, printing). MLIR's own report
    /// ([`RunOptions::native_timing`]) times every upstream pass apart.
    pub fn timing_report(&self, before: &[(&str, Duration)], after: &[(&str, Duration)]) -> String {
        let rows: Vec<(&str, Duration)> = before
            .iter()
            .copied()
            .chain(self.passes.iter().map(|p| (p.name.as_str(), p.time)))
            .chain([("(verify)", self.verify)])
            .chain(after.iter().copied())
            .collect();
        let total: f64 = rows.iter().map(|(_, d)| d.as_secs_f64()).sum();
        let share = |d: f64| if total > 0.0 { 100.0 * d / total } else { 0.0 };
        let rule =
            "===-------------------------------------------------------------------------===";
        let mut s = format!(
            "{rule}\n                         ... Execution time report ...\n{rule}\n  Total Execution Time: {total:.4} seconds\n\n  ----Wall Time----  ----Name----\n"
        );
        for (name, d) in rows {
            let d = d.as_secs_f64();
            s += &format!("  {d:>8.4} ({:>5.1}%)  {name}\n", share(d));
        }
        s += &format!("  {total:>8.4} (100.0%)  Total\n");
        s
    }

    /// The statistics report: each cfunc pass and its counters.
    pub fn statistics_report(&self) -> String {
        let rule =
            "===-------------------------------------------------------------------------===";
        let mut s =
            format!("{rule}\n                         ... Pass statistics report ...\n{rule}\n");
        for p in &self.passes {
            s += &format!("{}\n", p.name);
            if p.upstream && p.statistics.is_empty() {
                s += "  (upstream MLIR pass: no cfunc statistics)\n";
            } else if p.statistics.is_empty() {
                s += "  (no counters)\n";
            }
            for st in &p.statistics {
                s += &format!("  ({}) {} - {}\n", st.name, st.value, st.description);
            }
        }
        s
    }
}

/// A failed pipeline run: the failing pass, its diagnostics, and what ran
/// before it.
#[derive(Clone, Debug)]
pub struct PipelineFailure<'c> {
    /// The pass that failed (`verify` when the verifier rejected its output).
    pub pass: String,
    /// Its diagnostics (at least one).
    pub diags: Vec<PassDiag<'c>>,
    /// The passes that ran, including the failing one.
    pub report: PipelineReport,
}

/// Splits a pipeline at top-level commas, honouring parentheses.
pub fn split_pipeline(pipeline: &str) -> Vec<String> {
    let inner = pipeline.trim();
    let inner = inner
        .strip_prefix("builtin.module(")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(inner);
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in inner.chars() {
        match ch {
            '(' | '{' => depth += 1,
            ')' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur).trim().to_string());
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Runs `pipeline` on `module`. Diagnostics are rendered against `map`.
pub fn run_pipeline(
    cx: &CompilationContext,
    module: Operation<'_>,
    pipeline: &str,
    map: Option<&SourceMap>,
    opts: &RunOptions,
) -> Result<PassTimings> {
    run_pipeline_report(cx, module, pipeline, map, opts).map(|r| r.timings())
}

/// [`run_pipeline`], returning the whole report.
pub fn run_pipeline_report(
    cx: &CompilationContext,
    module: Operation<'_>,
    pipeline: &str,
    map: Option<&SourceMap>,
    opts: &RunOptions,
) -> Result<PipelineReport> {
    let parsed = parse_pipeline(pipeline).map_err(Error::Usage)?;
    let steps = steps_in(cx, &parsed).map_err(Error::Usage)?;
    run_steps(cx, module, &steps, opts).map_err(|f| diag_error(&f.pass, &f.diags, map))
}

/// A file name for a dump of pass `index` (1-based) named `name`.
pub fn dump_file_name(index: usize, name: &str, suffix: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{index:02}-{}{suffix}.mlir", clean.trim_end_matches('_'))
}

/// Verifies the module; every error the verifier reports, at its location.
pub fn verify_diags(module: Operation<'_>) -> Result<(), Vec<PassDiag<'_>>> {
    let diags = crate::dialect::capture::capture_diagnostics(module, || module.verify());
    match diags {
        (true, _) => Ok(()),
        (false, d) if d.is_empty() => Err(vec![PassDiag {
            loc: module.location(),
            message: "verification failed".into(),
        }]),
        (false, d) => Err(d),
    }
}

/// Verifies the module, reporting the first failure at its location.
pub fn verify(module: Operation<'_>, map: Option<&SourceMap>) -> Result<()> {
    verify_diags(module).map_err(|d| diag_error("verify", &d, map))
}

/// Converts pass diagnostics to errors at their locations: with the source
/// line and a caret when one points into `map`'s file, without them when it
/// points elsewhere. Every located diagnostic is reported; when none has a
/// position, the first becomes an internal error.
pub fn diag_error(pass: &str, diags: &[PassDiag], map: Option<&SourceMap>) -> Error {
    if diags.is_empty() {
        return Error::Internal(format!("{pass} failed"));
    }
    let mut located = Vec::new();
    for d in diags {
        match (d.loc.position(), map) {
            (Some((file, line, col)), Some(map)) if line > 0 && file == map.filename => located
                .push(CompileError::at_pos(
                    map,
                    Pos { line, col },
                    d.message.clone(),
                )),
            (Some((file, line, col)), _) if line > 0 => located.push(CompileError {
                file,
                pos: Pos { line, col },
                message: d.message.clone(),
                source_line: None,
            }),
            _ => {}
        }
    }
    if located.is_empty() {
        // No diagnostic points into a source: the failure is the
        // toolchain's; report it as such, with its IR location.
        let d = &diags[0];
        return Error::Internal(format!("{pass}: {} (at {})", d.message, d.loc));
    }
    // MLIR may report one problem at one place twice (an op and its
    // parent); each located error once, in the order reported.
    let mut seen = std::collections::HashSet::new();
    located.retain(|e| seen.insert((e.pos.line, e.pos.col, e.message.clone())));
    Error::from_diagnostics(located)
}

/// Prints an operation in generic-free custom form where available.
pub fn print_op(op: Operation<'_>) -> String {
    op.to_string()
}

/// Prints an operation that has just been verified, without the printer
/// verifying it again (the text is the same as `print_op`'s).
pub fn print_verified_op(op: Operation<'_>) -> String {
    op.print_with(false, true)
}

/// Prints an operation with `loc(...)` annotations.
pub fn print_op_with_locations(op: Operation<'_>) -> String {
    op.print_with(true, false)
}

/// Prints an operation, with locations when `debuginfo`, and without the
/// printer verifying it first when `verified` (it has just been verified).
/// Locations print as `loc(#locN)` references with the `#locN = ...`
/// definitions after the module, which `cfunc-opt` parses back unchanged.
pub fn print_with(op: Operation<'_>, debuginfo: bool, verified: bool) -> String {
    op.print_with(debuginfo, verified)
}
