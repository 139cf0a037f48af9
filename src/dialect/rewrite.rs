//! Rust rewrite patterns over the MLIR C API, with panics contained.
//!
//! A pattern callback runs inside MLIR's C++ greedy driver; unwinding
//! through C++ is undefined behaviour, so every callback runs under
//! `catch_unwind`. Failures and panics are recorded with the matched op's
//! location and reported once the driver returns.
//!
//! A callback gets the matched op and a builder through [`Rewrite`], whose
//! handles live only as long as the callback (the callback is
//! higher-ranked over their lifetime). Replacing or erasing the op through
//! it takes effect when the callback has returned, so no handle to the
//! erased op is left to use.
//!
//! Every pattern also counts its rewrites in the running pass's statistics
//! (`count`, `cfunc-opt --mlir-pass-statistics`), so a pattern-based pass
//! reports what it matched with no code of its own.

use super::builder::Builder;
use super::ir::{Location, Operation, Value};
use melior::Context;
use melior::{create_op_rewrite_pattern, RewritePatternSet};
use mlir_sys::*;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

/// One counter of a pass run: what it counts and how many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statistic {
    /// Short name, e.g. the op a pattern rewrites (`cfunc.floordiv`).
    pub name: String,
    /// What is counted.
    pub description: &'static str,
    /// The count.
    pub value: u64,
}

thread_local! {
    // The counters of the pass running on this thread. A pass runs on the
    // thread that called the pipeline (the MLIR context is single-threaded),
    // so pattern callbacks inside MLIR's driver count here too.
    static STATISTICS: RefCell<Vec<Statistic>> = const { RefCell::new(Vec::new()) };
}

/// Adds `n` to the running pass's counter `name` (creating it at 0, so a
/// pass can declare a counter that stays 0).
pub fn count(name: &str, description: &'static str, n: u64) {
    STATISTICS.with(|s| {
        let mut s = s.borrow_mut();
        match s.iter_mut().find(|st| st.name == name) {
            Some(st) => st.value += n,
            None => s.push(Statistic {
                name: name.to_string(),
                description,
                value: n,
            }),
        }
    });
}

/// Takes the counters recorded on this thread since the last call.
pub fn take_statistics() -> Vec<Statistic> {
    STATISTICS.with(|s| std::mem::take(&mut *s.borrow_mut()))
}

/// What a pattern's counter describes.
const REWRITTEN: &str = "ops rewritten";

/// An error raised while rewriting an op, at that op's location.
#[derive(Clone, Debug)]
pub struct PassDiag<'c> {
    /// The op's location.
    pub loc: Location<'c>,
    /// What went wrong.
    pub message: String,
}

/// What a callback asked to do with the matched op.
enum Action {
    Replace(Vec<MlirValue>),
    Erase,
}

/// What a pattern callback gets: a builder positioned before the matched
/// op (with the op's location), and the op.
pub struct Rewrite<'c> {
    /// Inserts before the matched op.
    pub b: Builder<'c>,
    /// The matched op.
    pub op: Operation<'c>,
    action: RefCell<Option<Action>>,
}

impl<'c> Rewrite<'c> {
    /// Replaces the matched op's results with `values` (one per result)
    /// and erases it, once the callback returns.
    pub fn replace(&self, values: &[Value<'c>]) {
        let n = self.op.num_results();
        assert!(
            values.len() == n,
            "{} has {n} results, replaced with {} values",
            self.op.name(),
            values.len()
        );
        self.act(Action::Replace(values.iter().map(|v| v.raw()).collect()));
    }

    /// Erases the matched op, once the callback returns; its results must
    /// have no uses by then.
    pub fn erase(&self) {
        self.act(Action::Erase);
    }

    fn act(&self, action: Action) {
        let mut slot = self.action.borrow_mut();
        assert!(
            slot.is_none(),
            "{} is already replaced or erased",
            self.op.name()
        );
        *slot = Some(action);
    }
}

/// Carries out a callback's action on `op` through `rewriter`; an error
/// when the op to erase is still used.
///
/// # Safety
/// `op` and `rewriter` are the live op and rewriter of the running pattern.
unsafe fn carry_out(
    rewriter: MlirRewriterBase,
    op: MlirOperation,
    action: Action,
) -> Result<(), String> {
    unsafe {
        match action {
            Action::Replace(values) => {
                mlirRewriterBaseReplaceOpWithValues(
                    rewriter,
                    op,
                    values.len() as isize,
                    values.as_ptr(),
                );
            }
            Action::Erase => {
                let op = Operation::from_raw(op);
                if op.results().iter().any(|r| r.has_uses()) {
                    return Err(format!(
                        "{} is erased but its result is still used",
                        op.name()
                    ));
                }
                mlirRewriterBaseEraseOp(rewriter, op.raw());
            }
        }
    }
    Ok(())
}

/// The outcome of a callback.
pub type PatternResult = Result<bool, String>;

/// A set of patterns being assembled for one pass run.
pub struct Patterns<'c> {
    set: RewritePatternSet<'c>,
    ctx: &'c Context,
    errors: Rc<RefCell<Vec<(MlirLocation, String)>>>,
}

impl<'c> Patterns<'c> {
    /// An empty set.
    pub fn new(ctx: &'c Context) -> Self {
        Self {
            set: RewritePatternSet::new(ctx),
            ctx,
            errors: Rc::default(),
        }
    }

    /// Adds a pattern on ops named `root`. Higher `benefit` is tried first.
    /// The callback returns `Ok(true)` when it rewrote the op, `Ok(false)`
    /// when it does not apply, `Err` for a located error.
    pub fn add(
        &mut self,
        root: &str,
        benefit: u32,
        f: impl for<'r> Fn(&Rewrite<'r>) -> PatternResult + 'static,
    ) {
        let errors = self.errors.clone();
        let root_name = root.to_string();
        count(root, REWRITTEN, 0);
        let pattern = create_op_rewrite_pattern(
            root,
            benefit,
            self.ctx,
            move |_, raw_op, rewriter| {
                let base = unsafe { mlirPatternRewriterAsBase(rewriter) };
                unsafe { mlirRewriterBaseSetInsertionPointBefore(base, raw_op) };
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    // SAFETY: MLIR hands the pattern a live op and rewriter
                    // for this call; the handles live as long as `rw`,
                    // which the callback cannot keep.
                    let op = unsafe { Operation::from_raw(raw_op) };
                    let rw = Rewrite {
                        b: unsafe { Builder::at_rewriter(base, op.location()) },
                        op,
                        action: RefCell::new(None),
                    };
                    let result = f(&rw);
                    (result, rw.action.into_inner())
                }));
                let loc = unsafe { mlirOperationGetLocation(raw_op) };
                let message = match outcome {
                    Ok((result, action)) => {
                        // The callback has returned: its handles are gone.
                        let acted = match action {
                            Some(a) => unsafe { carry_out(base, raw_op, a) },
                            None => Ok(()),
                        };
                        match (result, acted) {
                            (Ok(done), Ok(())) => {
                                if done {
                                    count(&root_name, REWRITTEN, 1);
                                }
                                return done;
                            }
                            (Err(message), _) | (Ok(_), Err(message)) => message,
                        }
                    }
                    Err(panic) => {
                        let what = crate::diagnostics::panic_message(&*panic);
                        let name = unsafe { Operation::from_raw(raw_op) }.name();
                        format!("internal error in a rewrite pattern on {name}: {what}")
                    }
                };
                errors.borrow_mut().push((loc, message));
                false
            },
            &[],
        );
        self.set.add(pattern);
    }

    /// Applies the patterns greedily to `op` and its nested ops.
    pub fn apply<'o>(self, op: Operation<'o>) -> Result<(), Vec<PassDiag<'o>>> {
        let frozen = self.set.freeze().into_raw();
        let ok = unsafe {
            let config = mlirGreedyRewriteDriverConfigCreate();
            // No region simplification: these passes lower ops, and what
            // the driver's simplification would do after every sweep
            // (erase unreachable blocks, propagate liveness to delete dead
            // ops and block arguments, merge identical blocks) LLVM does
            // once, later (DCE, simplifycfg). Its liveness propagation
            // iterates over the whole function to a fixpoint, so it grew
            // faster than the function: at 10,000 generated lines it was a
            // third of the cfunc passes' time (5.1 -> 3.4 s without it),
            // at 1,000 an eighth, and a tenth on small nodes. Every
            // differential and benchmark node compiles to the same bytes
            // without it. (The default, aggressive level also merged
            // identical blocks, one more level of a chain of conditional
            // expressions per sweep, so a long chain exceeded the limit of
            // ten sweeps and failed with "did not converge".) The limit
            // stays, to stop an extension pattern that keeps rewriting its
            // own result.
            mlirGreedyRewriteDriverConfigSetRegionSimplificationLevel(
                config,
                MlirGreedySimplifyRegionLevel_MLIR_GREEDY_SIMPLIFY_REGION_LEVEL_DISABLED,
            );
            let r = mlirApplyPatternsAndFoldGreedilyWithOp(op.raw(), frozen, config);
            mlirGreedyRewriteDriverConfigDestroy(config);
            mlirFrozenRewritePatternSetDestroy(frozen);
            r.value != 0
        };
        let errors = std::mem::take(&mut *self.errors.borrow_mut());
        if !errors.is_empty() {
            return Err(errors
                .into_iter()
                .map(|(loc, message)| PassDiag {
                    // SAFETY: a location lives in the context, which
                    // outlives the IR `op` is part of, and so 'o.
                    loc: unsafe { Location::from_raw(loc) },
                    message,
                })
                .collect());
        }
        if !ok {
            return Err(vec![PassDiag {
                loc: op.location(),
                message: "pattern application did not converge".into(),
            }]);
        }
        Ok(())
    }
}

/// The ops nested in `root` (itself included) named `name`, in post-order,
/// collected before the caller changes any.
pub fn collect_ops<'c>(root: Operation<'c>, name: &str) -> Vec<Operation<'c>> {
    root.collect(name)
}
