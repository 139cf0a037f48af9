//! One MLIR `PassManager` runs a whole pipeline.
//!
//! ```text
//! pipeline text ──parse_pipeline──▶ steps ──▶ PassManager
//!   cfunc-resolve            mlirCreateExternalPass  ─┐ added in order with
//!   canonicalize             mlirOpPassManagerAddPipeline │ mlirPassManagerAddOwnedPass
//!   func.func(cse)           mlirOpPassManagerAddPipeline │ and ...AddPipeline (which
//!   cfunc-lower-arith        mlirCreateExternalPass     │ appends; mlirParsePassPipeline
//!   cfunc-to-llvm            its upstream conversions  ─┘ would replace)
//! ```
//! Every cfunc pass is an MLIR pass object, so MLIR's own instrumentation
//! covers cfunc and upstream passes alike: the verifier (once, after the
//! pipeline, by default; after every pass with [`RunOptions::verify_each`]),
//! IR printing (`--mlir-print-ir-*`, module scope, file trees) and timing.
//! The C API registers no pass names, so cfuncc splits pipeline text itself
//! ([`super::parse_pipeline`]).
//!
//! The C API has no instrumentation hook either, and no way for an external
//! pass to declare MLIR statistics (which Debian's LLVM 22, built without
//! `LLVM_ENABLE_STATS`, would not print anyway: `mlir-opt
//! --mlir-pass-statistics` prints an empty report). What MLIR cannot report
//! is recorded by the cfunc passes' own callbacks in a `Run` that the
//! passes of one manager share: each cfunc pass's time and counters; the time of
//! the upstream steps between two cfunc passes (one row for consecutive
//! upstream steps: their boundaries are invisible from outside MLIR); the
//! IR after a pass (for the semantic key); and cfuncc's numbered stage
//! dumps (`CFUNCC_DUMP_DIR`). A pass's errors are kept there with their
//! locations while the pass signals failure to MLIR; a panic in a pass is
//! caught in the callback (unwinding into C++ is undefined behaviour) and
//! becomes an error at the location of the op the pass ran on.

use super::pattern::{take_statistics, PassDiag, Statistic};
use super::{
    dump_file_name, print_op, verify_diags, Impl, PassFn, PassInfo, PassRun, PipelineFailure,
    PipelineReport, RunOptions, Step,
};
use crate::dialect::ir::{printed, sref, Location, Operation};
use crate::registry::{CompilationContext, PassContext, PassDef};
use mlir_sys::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How a step joins the pass manager.
enum Exec<'a> {
    /// A cfunc pass, as an external pass calling `run`.
    Pass(&'static PassInfo, PassFn),
    /// A registered pass, as an external pass calling its body.
    Registered(&'a PassDef),
    /// Upstream passes parsed by MLIR from `text`, or made by `create`,
    /// and the counters to take when the IR reaches them (`cfunc-to-llvm`'s
    /// converted ops).
    Upstream {
        text: &'a str,
        create: Option<fn() -> Vec<MlirPass>>,
        count: Option<Count>,
    },
}

/// Counters taken on the IR upstream passes start from.
type Count = for<'c> fn(Operation<'c>);

/// A pass's error as the run keeps it until the manager has finished (the
/// location is the context's, valid as long as the module).
type RawDiag = (MlirLocation, String);

fn raw_diags(diags: Vec<PassDiag<'_>>) -> Vec<RawDiag> {
    diags
        .into_iter()
        .map(|d| (d.loc.raw(), d.message))
        .collect()
}

/// What a step is, for the record.
#[derive(Clone, Copy)]
enum Kind {
    Cfunc,
    /// Upstream passes, and the counters to take before they run.
    Upstream(Option<Count>),
}

/// What the cfunc passes of one pass manager record while it runs.
struct Run {
    /// Each step's name, as written in the pipeline.
    names: Vec<String>,
    kinds: Vec<Kind>,
    /// The first step not yet in the report.
    next: usize,
    /// When the upstream steps from `next` on started.
    mark: Instant,
    /// Counters taken before the upstream steps from `next` on ran.
    pending: Vec<Statistic>,
    report: PipelineReport,
    /// The failing cfunc pass and its errors.
    failure: Option<(String, Vec<RawDiag>)>,
    capture_after: Option<String>,
    dump_dir: Option<std::path::PathBuf>,
}

impl Run {
    fn is_upstream(&self, i: usize) -> bool {
        matches!(self.kinds[i], Kind::Upstream(_))
    }

    /// The upstream steps `next..upto` ran from `mark` to `now`: one row,
    /// and the dump of the IR after the last of them.
    fn close_upstream(&mut self, upto: usize, module: Operation<'_>, now: Instant) {
        if self.next < upto {
            self.report.passes.push(PassRun {
                name: self.names[self.next..upto].join(","),
                upstream: true,
                time: now.saturating_duration_since(self.mark),
                statistics: std::mem::take(&mut self.pending),
            });
            self.dump(upto, module);
        }
        self.next = upto;
    }

    /// The IR is about to reach step `next`: when it is upstream, takes the
    /// counters it declares, then starts its clock.
    fn open_upstream(&mut self, module: Operation<'_>) {
        if let Some(Kind::Upstream(Some(count))) = self.kinds.get(self.next) {
            take_statistics();
            count(module);
            self.pending = take_statistics();
        }
        self.mark = Instant::now();
    }

    /// Writes the IR after step `number` (1-based) into the dump directory.
    fn dump(&self, number: usize, module: Operation<'_>) {
        let Some(dir) = &self.dump_dir else { return };
        let file = dir.join(dump_file_name(number, &self.names[number - 1], ""));
        // A dump that cannot be written is reported, not fatal.
        if let Err(e) =
            std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&file, print_op(module)))
        {
            eprintln!("cannot write {}: {e}", file.display());
        }
    }
}

/// What every external pass of one manager points at. It outlives the
/// manager (see [`run_steps`]), and only the thread running the manager
/// touches it: cfunc passes are module passes, never run in parallel.
struct Shared {
    cx: *const CompilationContext,
    run: RefCell<Run>,
}

/// One cfunc pass's `userData`: which pass, at which step, of which run.
#[derive(Clone)]
struct PassData {
    body: Body,
    step: usize,
    shared: *const Shared,
}

/// What a cfunc pass runs.
#[derive(Clone)]
enum Body {
    Builtin(&'static PassInfo, PassFn),
    Registered(PassDef),
}

impl Body {
    fn name(&self) -> &str {
        match self {
            Body::Builtin(info, _) => info.name,
            Body::Registered(p) => &p.name,
        }
    }

    fn summary(&self) -> &str {
        match self {
            Body::Builtin(info, _) => info.summary,
            Body::Registered(p) => &p.description,
        }
    }

    fn run<'c>(
        &self,
        cx: &'c CompilationContext,
        op: Operation<'c>,
    ) -> Result<(), Vec<PassDiag<'c>>> {
        match self {
            Body::Builtin(_, run) => run(cx, op),
            Body::Registered(p) => {
                for (name, description) in &p.statistics {
                    super::pattern::count(name, description, 0);
                }
                (p.run)(&PassContext::new(cx, op))
            }
        }
    }
}

unsafe extern "C" fn construct(_: *mut c_void) {}

unsafe extern "C" fn destruct(data: *mut c_void) {
    // Dropping the box frees memory only; nothing in it can panic.
    drop(unsafe { Box::from_raw(data as *mut PassData) });
}

unsafe extern "C" fn clone(data: *mut c_void) -> *mut c_void {
    let data = unsafe { &*(data as *const PassData) };
    Box::into_raw(Box::new(data.clone())) as *mut c_void
}

unsafe extern "C" fn run_pass(op: MlirOperation, pass: MlirExternalPass, data: *mut c_void) {
    let data = unsafe { &*(data as *const PassData) };
    let shared = unsafe { &*data.shared };
    // SAFETY: MLIR runs the pass on a live op, which outlives this call.
    let op = unsafe { Operation::from_raw(op) };
    let ok = catch_unwind(AssertUnwindSafe(|| run_one(data, shared, op))).unwrap_or_else(|panic| {
        let what = crate::diagnostics::panic_message(&*panic);
        let diag = (
            panic_location(op).raw(),
            format!("internal error in pass {}: {what}", data.body.name()),
        );
        if let Ok(mut run) = shared.run.try_borrow_mut() {
            run.failure = Some((data.body.name().to_string(), vec![diag]));
        }
        false
    });
    if !ok {
        unsafe { mlirExternalPassSignalFailure(pass) };
    }
}

/// Runs one cfunc pass on `op` and records it; false when it failed.
fn run_one(data: &PassData, shared: &Shared, op: Operation<'_>) -> bool {
    shared
        .run
        .borrow_mut()
        .close_upstream(data.step, op, Instant::now());
    take_statistics();
    // SAFETY: `run_steps` keeps the context borrowed while the manager
    // runs, and the manager runs only inside it.
    let cx = unsafe { &*shared.cx };
    let t = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| data.body.run(cx, op)));
    let time = t.elapsed();
    let statistics = take_statistics();
    let mut run = shared.run.borrow_mut();
    run.report.passes.push(PassRun {
        name: data.body.name().to_string(),
        upstream: false,
        time,
        statistics,
    });
    run.next = data.step + 1;
    let diags = match result {
        Ok(Ok(())) => {
            if run.capture_after.as_deref() == Some(data.body.name()) {
                // Printed with the printer's own verification: this IR is
                // not verified yet, and an invalid op prints generically.
                run.report.captured = Some(print_op(op));
            }
            run.dump(data.step + 1, op);
            run.open_upstream(op);
            return true;
        }
        Ok(Err(diags)) => raw_diags(diags),
        Err(panic) => vec![(
            panic_location(op).raw(),
            format!(
                "internal error in pass {}: {}",
                data.body.name(),
                crate::diagnostics::panic_message(&*panic)
            ),
        )],
    };
    run.failure = Some((data.body.name().to_string(), diags));
    false
}

/// Where a panic in a pass on `op` is reported: `op`'s location, or when
/// it has no file position (the frontend's module has none), the first
/// nested op's that has one: the node's definition.
fn panic_location(op: Operation<'_>) -> Location<'_> {
    fn first_located(op: Operation<'_>) -> Option<Location<'_>> {
        let loc = op.location();
        if loc.position().is_some() {
            return Some(loc);
        }
        for i in 0..op.num_regions() {
            for block in op.region(i).blocks() {
                for inner in block.operations() {
                    if let Some(l) = first_located(inner) {
                        return Some(l);
                    }
                }
            }
        }
        None
    }
    first_located(op).unwrap_or_else(|| op.location())
}

/// `cfunc-resolve` → `CfuncResolve`: the pass's name in MLIR's reports, as
/// upstream passes are named by their class (`Canonicalizer`, `CSE`).
pub fn class_name(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The pass's MLIR type id, one per pass name for the process's lifetime
/// (its identity for MLIR's analyses, timers and statistics).
fn type_id(name: &str) -> MlirTypeID {
    struct Alloc(MlirTypeIDAllocator);
    // SAFETY: the allocator is only used under the mutex.
    unsafe impl Send for Alloc {}
    static IDS: OnceLock<Mutex<(Alloc, HashMap<String, usize>)>> = OnceLock::new();
    let ids = IDS.get_or_init(|| {
        // Never destroyed: the ids must outlive every pass manager.
        Mutex::new((
            Alloc(unsafe { mlirTypeIDAllocatorCreate() }),
            HashMap::new(),
        ))
    });
    let mut ids = ids.lock().unwrap_or_else(|e| e.into_inner());
    let (alloc, map) = &mut *ids;
    let id = *map
        .entry(name.to_string())
        .or_insert_with(|| unsafe { mlirTypeIDAllocatorAllocateTypeID(alloc.0).ptr as usize });
    MlirTypeID {
        ptr: id as *const c_void,
    }
}

/// The dialects whose ops cfunc passes create, loaded before a run.
fn dependent_dialects() -> Vec<MlirDialectHandle> {
    unsafe {
        vec![
            mlirGetDialectHandle__func__(),
            mlirGetDialectHandle__arith__(),
            mlirGetDialectHandle__math__(),
            mlirGetDialectHandle__cf__(),
            mlirGetDialectHandle__scf__(),
            mlirGetDialectHandle__llvm__(),
        ]
    }
}

/// Creates the external pass for `data`; the pass owns it.
fn external_pass(data: PassData) -> MlirPass {
    let name = data.body.name().to_string();
    let summary = data.body.summary().to_string();
    let class = class_name(&name);
    let mut dialects = dependent_dialects();
    let callbacks = MlirExternalPassCallbacks {
        construct: Some(construct),
        destruct: Some(destruct),
        initialize: None,
        clone: Some(clone),
        run: Some(run_pass),
    };
    unsafe {
        mlirCreateExternalPass(
            type_id(&name),
            sref(&class),
            sref(&name),
            sref(&summary),
            sref("builtin.module"),
            dialects.len() as isize,
            dialects.as_mut_ptr(),
            callbacks,
            Box::into_raw(Box::new(data)) as *mut c_void,
        )
    }
}

/// Owns a pass manager; destroying it prints MLIR's timing report.
struct Manager(MlirPassManager);

impl Drop for Manager {
    fn drop(&mut self) {
        unsafe { mlirPassManagerDestroy(self.0) }
    }
}

/// Whether MLIR's pipeline parser accepts `text`; its message if not.
pub(super) fn check_pipeline(cx: &CompilationContext, text: &str) -> Result<(), String> {
    let pm = Manager(unsafe { mlirPassManagerCreate(cx.mlir().to_raw()) });
    add_upstream(pm.0, text)
}

/// Adds upstream pipeline text to the manager; MLIR's message on failure.
fn add_upstream(pm: MlirPassManager, text: &str) -> Result<(), String> {
    let mut ok = false;
    let err = printed(|cb, data| unsafe {
        let opm = mlirPassManagerGetAsOpPassManager(pm);
        ok = mlirOpPassManagerAddPipeline(opm, sref(text), cb, data).value != 0;
    });
    if ok {
        Ok(())
    } else {
        Err(err.trim().to_string())
    }
}

/// Turns on the instrumentation `opts` asks for.
fn instrument(ctx: MlirContext, pm: MlirPassManager, opts: &RunOptions) {
    unsafe {
        mlirPassManagerEnableVerifier(pm, opts.verify_each);
        let after = opts.print_after_all || opts.print_after_change || opts.tree_dir.is_some();
        if opts.print_before_all || after || opts.print_after_failure {
            if opts.print_module_scope {
                // MLIR refuses module-scope printing on a multithreaded
                // context (a pass on one function would print the module
                // while another thread changes it).
                mlirContextEnableMultithreading(ctx, false);
            }
            let flags = mlirOpPrintingFlagsCreate();
            if opts.print_debuginfo {
                mlirOpPrintingFlagsEnableDebugInfo(flags, true, false);
            }
            let tree = opts
                .tree_dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default();
            mlirPassManagerEnableIRPrinting(
                pm,
                opts.print_before_all,
                after || opts.print_after_failure,
                opts.print_module_scope,
                opts.print_after_change,
                opts.print_after_failure && !after,
                flags,
                sref(&tree),
            );
            // The printer keeps a copy of the flags.
            mlirOpPrintingFlagsDestroy(flags);
        }
        if opts.native_timing {
            mlirPassManagerEnableTiming(pm);
        }
    }
}

/// Runs the steps with one pass manager, with the instrumentation `opts`
/// asks for, then (unless every pass was verified) verifies the module
/// once. Every cfunc pass's counters are collected.
pub fn run_steps<'c>(
    cx: &CompilationContext,
    module: Operation<'c>,
    steps: &[Step],
    opts: &RunOptions,
) -> Result<PipelineReport, PipelineFailure<'c>> {
    let ctx = cx.mlir().to_raw();
    let execs: Vec<(&str, Exec)> = steps
        .iter()
        .map(|s| match s {
            Step::Registered(p) => (p.name.as_str(), Exec::Registered(p)),
            Step::Cfunc(p) => (
                p.name,
                match p.imp {
                    Impl::Pass(run) => Exec::Pass(p, run),
                    Impl::Upstream {
                        passes,
                        create,
                        count,
                    } => Exec::Upstream {
                        text: passes,
                        create: Some(create),
                        count: Some(count),
                    },
                },
            ),
            Step::Upstream(text) => (
                *text,
                Exec::Upstream {
                    text,
                    create: None,
                    count: None,
                },
            ),
        })
        .collect();
    let shared = Box::new(Shared {
        cx,
        run: RefCell::new(Run {
            names: execs.iter().map(|(n, _)| n.to_string()).collect(),
            kinds: execs
                .iter()
                .map(|(_, e)| match e {
                    Exec::Pass(..) | Exec::Registered(_) => Kind::Cfunc,
                    Exec::Upstream { count, .. } => Kind::Upstream(*count),
                })
                .collect(),
            next: 0,
            mark: Instant::now(),
            pending: Vec::new(),
            report: PipelineReport::default(),
            failure: None,
            capture_after: opts.capture_after.clone(),
            dump_dir: opts.dump_dir.clone(),
        }),
    });
    let fail = |pass: &str, message: String, report: PipelineReport| PipelineFailure {
        pass: pass.to_string(),
        diags: vec![PassDiag {
            loc: module.location(),
            message,
        }],
        report,
    };
    // Declared after `shared`, so dropped (destroyed) before it.
    let pm = Manager(unsafe { mlirPassManagerCreate(ctx) });
    instrument(ctx, pm.0, opts);
    for (step, (name, exec)) in execs.iter().enumerate() {
        match exec {
            Exec::Pass(info, run) => unsafe {
                let pass = external_pass(PassData {
                    body: Body::Builtin(info, *run),
                    step,
                    shared: &*shared,
                });
                mlirPassManagerAddOwnedPass(pm.0, pass);
            },
            Exec::Registered(p) => unsafe {
                let pass = external_pass(PassData {
                    body: Body::Registered((*p).clone()),
                    step,
                    shared: &*shared,
                });
                mlirPassManagerAddOwnedPass(pm.0, pass);
            },
            Exec::Upstream {
                create: Some(create),
                ..
            } => {
                for pass in create() {
                    unsafe { mlirPassManagerAddOwnedPass(pm.0, pass) };
                }
            }
            Exec::Upstream { text, .. } => {
                super::to_llvm::register_upstream_passes();
                if let Err(e) = add_upstream(pm.0, text) {
                    return Err(fail(
                        name,
                        format!("unknown pass or bad pipeline '{text}': {e}"),
                        PipelineReport::default(),
                    ));
                }
            }
        }
    }
    take_statistics();
    shared.run.borrow_mut().open_upstream(module);
    let t = Instant::now();
    let (ok, captured) = crate::dialect::capture::capture_diagnostics(module, || unsafe {
        mlirPassManagerRunOnOp(pm.0, module.raw()).value != 0
    });
    let wall = t.elapsed();
    let end = Instant::now();
    // MLIR prints its timing and statistics reports here.
    drop(pm);
    let mut run = shared.run.into_inner();
    if !ok {
        let (pass, mut diags) = match run.failure.take() {
            Some((pass, raw)) => {
                let diags: Vec<PassDiag<'c>> = raw
                    .into_iter()
                    .map(|(loc, message)| PassDiag {
                        // SAFETY: a location lives in the context, which
                        // outlives the module.
                        loc: unsafe { Location::from_raw(loc) },
                        message,
                    })
                    .collect();
                (pass, diags)
            }
            None => {
                // An upstream pass failed, or the verifier after a pass:
                // the upstream steps up to the next cfunc pass ran, one
                // of them last.
                let upto = (run.next..run.names.len())
                    .find(|&i| !run.is_upstream(i))
                    .unwrap_or(run.names.len());
                let group = (run.next < upto).then(|| run.names[run.next..upto].join(","));
                run.close_upstream(upto, module, end);
                let pass = match group {
                    Some(g) if verify_diags(module).is_ok() => g,
                    Some(_) | None => "verify".to_string(),
                };
                (pass, Vec::new())
            }
        };
        diags.extend(captured);
        if diags.is_empty() {
            diags.push(PassDiag {
                loc: module.location(),
                message: format!("pipeline '{pass}' failed"),
            });
        }
        return Err(PipelineFailure {
            pass,
            diags,
            report: run.report,
        });
    }
    run.close_upstream(run.names.len(), module, end);
    let mut report = run.report;
    if opts.verify_each {
        // The verifier ran after every pass, inside the rows' times or
        // between them: what no row holds.
        let rows: Duration = report.passes.iter().map(|p| p.time).sum();
        report.verify = wall.saturating_sub(rows);
    } else {
        let t = Instant::now();
        let verified = verify_diags(module);
        report.verify = t.elapsed();
        if let Err(diags) = verified {
            return Err(PipelineFailure {
                pass: "verify".into(),
                diags,
                report,
            });
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::super::{diag_error, Impl, PassInfo, RunOptions, Step};
    use super::*;
    use crate::diagnostics::{Error, SourceMap};
    use crate::dialect::ir::{Attribute, Type};
    use melior::ir::Module;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const NODE: &str = "x = 1\ny = 2\nz = x + y\n";

    /// A module whose ops are located in `node.py`: the constant at 3:5.
    const MODULE: &str = r#"module {
  func.func @f() -> i64 {
    %0 = arith.constant 1 : i64 loc("node.py":3:5)
    return %0 : i64 loc("node.py":3:1)
  } loc("node.py":2:1)
} loc("node.py":1:1)
"#;

    fn context() -> CompilationContext {
        CompilationContext::new().expect("a context")
    }

    /// The first op of the function body: the constant.
    fn constant(module: Operation<'_>) -> Operation<'_> {
        let func = module.collect("func.func")[0];
        func.region(0)
            .first_block()
            .and_then(|b| b.first_op())
            .expect("the constant")
    }

    /// A failed run, kept past its module: the failing pass, the report,
    /// the errors rendered against `NODE`, and their messages.
    struct Failed {
        pass: String,
        report: PipelineReport,
        error: Error,
        messages: Vec<String>,
    }

    fn run(
        cx: &CompilationContext,
        steps: &[Step],
        opts: &RunOptions,
    ) -> (String, Result<PipelineReport, Failed>) {
        let m = Module::parse(cx.mlir(), MODULE).expect("the test module parses");
        let op = Operation::of_module(&m);
        let r = run_steps(cx, op, steps, opts).map_err(|f| Failed {
            error: diag_error(&f.pass, &f.diags, Some(&SourceMap::new("node.py", NODE))),
            messages: f.diags.iter().map(|d| d.message.clone()).collect(),
            pass: f.pass,
            report: f.report,
        });
        (print_op(op), r)
    }

    fn errors(f: &Failed) -> &Error {
        &f.error
    }

    static FAILING: PassInfo = PassInfo {
        name: "test-fail",
        summary: "fails at the constant",
        imp: Impl::Pass(|_, m| {
            Err(vec![
                PassDiag {
                    loc: constant(m).location(),
                    message: "first problem".into(),
                },
                PassDiag {
                    loc: m.location(),
                    message: "second problem".into(),
                },
            ])
        }),
    };

    static PANICKING: PassInfo = PassInfo {
        name: "test-panic",
        summary: "panics",
        imp: Impl::Pass(|_, _| panic!("the pass broke")),
    };

    /// Makes the constant invalid: its value is a float, its result an i64.
    static BREAKING: PassInfo = PassInfo {
        name: "test-break",
        summary: "gives the constant a value of the wrong type",
        imp: Impl::Pass(|_, m| {
            let c = constant(m);
            let value = Attribute::float(Type::f64(c.context()), 1.0);
            c.set_attr("value", value);
            Ok(())
        }),
    };

    static AFTER_BREAK: AtomicUsize = AtomicUsize::new(0);

    static COUNTING: PassInfo = PassInfo {
        name: "test-count",
        summary: "counts its runs",
        imp: Impl::Pass(|_, _| {
            AFTER_BREAK.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }),
    };

    #[test]
    fn failing_pass_gives_every_located_error() {
        let cx = context();
        let (_, r) = run(&cx, &[Step::Cfunc(&FAILING)], &RunOptions::default());
        let f = r.expect_err("the pass fails");
        assert_eq!(f.pass, "test-fail");
        let e = errors(&f);
        let located: Vec<String> = e.diagnostics().iter().map(|d| d.to_string()).collect();
        assert_eq!(located.len(), 2, "{e}");
        assert!(
            located[0].starts_with("node.py:3:5: error: first problem"),
            "{e}"
        );
        assert!(located[0].contains("z = x + y"), "the source line: {e}");
        assert!(
            located[1].starts_with("node.py:1:1: error: second problem"),
            "{e}"
        );
        assert_eq!(f.report.passes.len(), 1);
    }

    #[test]
    fn panicking_pass_is_a_located_error() {
        let cx = context();
        let (_, r) = run(&cx, &[Step::Cfunc(&PANICKING)], &RunOptions::default());
        let f = r.expect_err("the pass panics");
        let e = errors(&f);
        let text = e.to_string();
        assert!(matches!(e, Error::Compile(_)), "{text}");
        assert!(
            text.starts_with(
                "node.py:1:1: error: internal error in pass test-panic: the pass broke"
            ),
            "{text}"
        );
        // The context is still usable: another run succeeds.
        let (_, r) = run(
            &cx,
            &[Step::Upstream("canonicalize")],
            &RunOptions::default(),
        );
        assert!(r.is_ok());
    }

    #[test]
    fn verify_each_stops_at_the_invalid_op() {
        let cx = context();
        let steps = [Step::Cfunc(&BREAKING), Step::Cfunc(&COUNTING)];
        // Verified once at the end: the next pass runs on the invalid IR,
        // and the verifier reports the op.
        let before = AFTER_BREAK.load(Ordering::SeqCst);
        let (_, r) = run(&cx, &steps, &RunOptions::default());
        let f = r.expect_err("the module does not verify");
        assert_eq!(f.pass, "verify");
        assert_eq!(AFTER_BREAK.load(Ordering::SeqCst), before + 1);
        let text = errors(&f).to_string();
        assert!(text.starts_with("node.py:3:5: error: "), "{text}");
        // Verified after every pass: MLIR's verifier stops the pipeline
        // right after the breaking pass.
        let opts = RunOptions {
            verify_each: true,
            ..Default::default()
        };
        let (_, r) = run(&cx, &steps, &opts);
        let f = r.expect_err("the module does not verify");
        assert_eq!(f.pass, "verify");
        assert_eq!(
            AFTER_BREAK.load(Ordering::SeqCst),
            before + 1,
            "the pass after the breaking one did not run"
        );
        assert_eq!(f.report.passes.len(), 1);
        let text = errors(&f).to_string();
        assert!(text.starts_with("node.py:3:5: error: "), "{text}");
    }

    #[test]
    fn cfunc_and_upstream_passes_in_one_manager() {
        let cx = context();
        let steps = super::super::parse_pipeline(
            "builtin.module(cfunc-lower-arith,canonicalize,func.func(cse),cfunc-lower-faults,cfunc-to-llvm)",
        )
        .expect("the pipeline parses");
        let opts = RunOptions {
            capture_after: Some("cfunc-lower-arith".into()),
            ..Default::default()
        };
        let m = Module::parse(cx.mlir(), MODULE).expect("parses");
        let op = Operation::of_module(&m);
        let report = run_steps(&cx, op, &super::super::steps(&steps), &opts)
            .unwrap_or_else(|f| panic!("{:?}", f.diags));
        let rows: Vec<(&str, bool)> = report
            .passes
            .iter()
            .map(|p| (p.name.as_str(), p.upstream))
            .collect();
        assert_eq!(
            rows,
            [
                ("cfunc-lower-arith", false),
                ("canonicalize,func.func(cse)", true),
                ("cfunc-lower-faults", false),
                ("cfunc-to-llvm", true),
            ]
        );
        // cfunc-to-llvm's counter, taken before its conversions ran.
        assert_eq!(report.passes[3].statistics[0].name, "converted");
        assert!(report
            .captured
            .as_deref()
            .unwrap()
            .contains("arith.constant"));
        assert!(print_op(op).contains("llvm.func @f"));
    }

    #[test]
    fn bad_upstream_text_is_an_error() {
        let cx = context();
        let (_, r) = run(
            &cx,
            &[Step::Upstream("no-such-pass")],
            &RunOptions::default(),
        );
        let f = r.expect_err("unknown pass");
        assert!(f.messages[0].contains("no-such-pass"), "{:?}", f.messages);
    }

    #[test]
    fn class_names() {
        assert_eq!(class_name("cfunc-lower-arith"), "CfuncLowerArith");
        assert_eq!(class_name("cfunc-to-llvm"), "CfuncToLlvm");
    }
}
