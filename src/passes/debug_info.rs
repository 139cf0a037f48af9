//! `-g`: debug info from the Python locations the IR carries.
//!
//! ```text
//! llvm dialect, every op at loc("node.py":L:C) or unknown
//!   1. each op of an llvm.func with no file position takes the function's
//!      (or, for a function without one, its first located op's: the node's
//!      definition), so every call has a line, as LLVM's verifier demands of
//!      an inlinable call in a function with a subprogram
//!   2. ensure-debug-info-scope-on-llvm-func (MLIR): a DICompileUnit and a
//!      DISubprogram per function, line tables only
//! translate ──▶ !dbg on every instruction ──▶ codegen ──▶ .debug_line naming node.py
//! ```
//! The code does not change: LLVM keeps debug info out of its decisions, so
//! `-g` is not part of the semantic key (it is part of the cache key: the
//! bytes of the `.so` differ). Runs after the pipeline, on the llvm dialect.

use crate::dialect::ir::{Location, Operation};
use mlir_sys::*;

/// The first file position in `op` or nested in it.
fn first_located(op: Operation<'_>) -> Option<Location<'_>> {
    let loc = op.location();
    if loc.position().is_some() {
        return Some(loc);
    }
    each_nested(op, &mut |inner| {
        let l = inner.location();
        l.position().is_some().then_some(l)
    })
}

/// Calls `f` on every op nested in `op` (pre-order) until it returns
/// `Some`.
fn each_nested<'c, T>(
    op: Operation<'c>,
    f: &mut impl FnMut(Operation<'c>) -> Option<T>,
) -> Option<T> {
    for i in 0..op.num_regions() {
        for block in op.region(i).blocks() {
            for inner in block.operations() {
                if let Some(t) = f(inner).or_else(|| each_nested(inner, f)) {
                    return Some(t);
                }
            }
        }
    }
    None
}

/// Gives every op of every `llvm.func` in `module` a file position (step 1
/// above). Functions without any (the runtime's declarations) are left.
fn locate_everything(module: Operation<'_>) {
    let fallback = first_located(module);
    let Some(body) = module.region(0).first_block() else {
        return;
    };
    for func in body.operations() {
        if !func.is("llvm.func") {
            continue;
        }
        let Some(loc) = first_located(func).or(fallback) else {
            continue;
        };
        if func.location().position().is_none() {
            func.set_location(loc);
        }
        each_nested(func, &mut |op| {
            if op.location().position().is_none() {
                op.set_location(loc);
            }
            None::<()>
        });
    }
}

/// Attaches debug info scopes to `module` (llvm dialect) so that its
/// translation to LLVM IR carries line tables; an error is MLIR's message.
pub fn attach(module: Operation<'_>) -> Result<(), String> {
    locate_everything(module);
    let ctx = module.context().raw();
    let raw = module.raw();
    let (ok, diags) = crate::dialect::capture::capture_diagnostics(module, || unsafe {
        let pm = mlirPassManagerCreate(ctx);
        mlirPassManagerAddOwnedPass(pm, mlirCreateLLVMDIScopeForLLVMFuncOpPass());
        let ok = mlirPassManagerRunOnOp(pm, raw).value != 0;
        mlirPassManagerDestroy(pm);
        ok
    });
    if ok {
        Ok(())
    } else {
        Err(diags
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_else(|| "ensure-debug-info-scope-on-llvm-func failed".into()))
    }
}
