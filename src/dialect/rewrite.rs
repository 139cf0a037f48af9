//! Rust rewrite patterns over the MLIR C API, with panics contained.
//!
//! A pattern callback runs inside MLIR's C++ greedy driver; unwinding
//! through C++ is undefined behaviour, so every callback runs under
//! `catch_unwind`. Failures and panics are recorded with the matched op's
//! location and reported once the driver returns.
//!
//! Every pattern also counts its rewrites in the running pass's statistics
//! (`count`, `cfunc-opt --mlir-pass-statistics`), so a pattern-based pass
//! reports what it matched with no code of its own.

use crate::dialect::builder::{Builder, InsertAt};
use melior::Context;
use melior::{create_op_rewrite_pattern, RewritePatternSet};
use mlir_sys::*;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

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
pub struct PassDiag {
    /// The op's location.
    pub loc: MlirLocation,
    /// What went wrong.
    pub message: String,
}

// MlirLocation is a context-owned handle, used only on the compiling thread.
unsafe impl Send for PassDiag {}

/// What a pattern callback gets: a builder positioned before the matched op
/// (with the op's location) and the rewriter.
pub struct Rewrite {
    /// Inserts before the matched op.
    pub b: Builder,
    /// The pattern rewriter, as a `RewriterBase`.
    pub rewriter: MlirRewriterBase,
    /// The matched op.
    pub op: MlirOperation,
}

impl Rewrite {
    /// Replaces the matched op's results with `values` and erases it.
    pub fn replace(&self, values: &[MlirValue]) {
        unsafe {
            mlirRewriterBaseReplaceOpWithValues(
                self.rewriter,
                self.op,
                values.len() as isize,
                values.as_ptr(),
            )
        }
    }

    /// Erases the matched op (it must have no uses).
    pub fn erase(&self) {
        unsafe { mlirRewriterBaseEraseOp(self.rewriter, self.op) }
    }
}

/// The outcome of a callback.
pub type PatternResult = Result<bool, String>;

/// A set of patterns being assembled for one pass run.
pub struct Patterns<'c> {
    set: RewritePatternSet<'c>,
    ctx: &'c Context,
    errors: Arc<Mutex<Vec<PassDiag>>>,
}

impl<'c> Patterns<'c> {
    /// An empty set.
    pub fn new(ctx: &'c Context) -> Self {
        Self {
            set: RewritePatternSet::new(ctx),
            ctx,
            errors: Arc::default(),
        }
    }

    /// Adds a pattern on ops named `root`. Higher `benefit` is tried first.
    /// The callback returns `Ok(true)` when it rewrote the op, `Ok(false)`
    /// when it does not apply, `Err` for a located error.
    pub fn add(
        &mut self,
        root: &str,
        benefit: u32,
        f: impl Fn(&Rewrite) -> PatternResult + 'static,
    ) {
        let errors = self.errors.clone();
        let ctx = self.ctx.to_raw();
        let root_name = root.to_string();
        count(root, REWRITTEN, 0);
        let pattern = create_op_rewrite_pattern(
            root,
            benefit,
            self.ctx,
            move |_, op, rewriter| {
                let base = unsafe { mlirPatternRewriterAsBase(rewriter) };
                let loc = unsafe { mlirOperationGetLocation(op) };
                unsafe { mlirRewriterBaseSetInsertionPointBefore(base, op) };
                let rw = Rewrite {
                    b: Builder {
                        ctx,
                        loc,
                        at: InsertAt::Rewriter(base),
                    },
                    rewriter: base,
                    op,
                };
                let outcome = catch_unwind(AssertUnwindSafe(|| f(&rw)));
                let message = match outcome {
                    Ok(Ok(done)) => {
                        if done {
                            count(&root_name, REWRITTEN, 1);
                        }
                        return done;
                    }
                    Ok(Err(message)) => message,
                    Err(panic) => {
                        let what = crate::diagnostics::panic_message(&*panic);
                        format!(
                            "internal error in a rewrite pattern on {root_name}: {what}",
                            root_name = crate::dialect::builder::op_name(op)
                        )
                    }
                };
                if let Ok(mut e) = errors.lock() {
                    e.push(PassDiag { loc, message });
                }
                false
            },
            &[],
        );
        self.set.add(pattern);
    }

    /// Applies the patterns greedily to `op` and its nested ops.
    pub fn apply(self, op: MlirOperation) -> Result<(), Vec<PassDiag>> {
        let frozen = self.set.freeze().into_raw();
        let ok = unsafe {
            let config = mlirGreedyRewriteDriverConfigCreate();
            // Normal region simplification (unreachable blocks and dead
            // block arguments go), not the default aggressive one, which
            // also merges identical blocks: a chain of conditional
            // expressions (`a if c else b if d else ...`, one join block per
            // level) then merged one more level per sweep of the driver and
            // reported a change each time, so ten or more levels exceeded
            // the default limit of ten sweeps and the pass failed with "did
            // not converge". These passes lower ops; merging blocks is
            // LLVM's job (simplifycfg). Now the sweeps needed do not depend
            // on the chain's length; the limit stays, to stop an extension
            // pattern that keeps rewriting its own result.
            mlirGreedyRewriteDriverConfigSetRegionSimplificationLevel(
                config,
                MlirGreedySimplifyRegionLevel_MLIR_GREEDY_SIMPLIFY_REGION_LEVEL_NORMAL,
            );
            let r = mlirApplyPatternsAndFoldGreedilyWithOp(op, frozen, config);
            mlirGreedyRewriteDriverConfigDestroy(config);
            mlirFrozenRewritePatternSetDestroy(frozen);
            r.value != 0
        };
        let errors = std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()));
        if !errors.is_empty() {
            return Err(errors);
        }
        if !ok {
            let loc = unsafe { mlirOperationGetLocation(op) };
            return Err(vec![PassDiag {
                loc,
                message: "pattern application did not converge".into(),
            }]);
        }
        Ok(())
    }
}

/// Calls `f` on every op nested in `root` (post-order), collecting first.
pub fn collect_ops(root: MlirOperation, name: &str) -> Vec<MlirOperation> {
    let mut out = Vec::new();
    fn walk(op: MlirOperation, name: &str, out: &mut Vec<MlirOperation>) {
        unsafe {
            let n = mlirOperationGetNumRegions(op);
            for i in 0..n {
                let region = mlirOperationGetRegion(op, i);
                let mut block = mlirRegionGetFirstBlock(region);
                while !block.ptr.is_null() {
                    let mut inner = mlirBlockGetFirstOperation(block);
                    while !inner.ptr.is_null() {
                        walk(inner, name, out);
                        inner = mlirOperationGetNextInBlock(inner);
                    }
                    block = mlirBlockGetNextInRegion(block);
                }
            }
        }
        if crate::dialect::builder::op_name(op) == name {
            out.push(op);
        }
    }
    walk(root, name, &mut out);
    out
}
