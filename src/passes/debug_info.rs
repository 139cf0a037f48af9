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

use super::file_line_col;
use crate::dialect::builder::op_name;
use mlir_sys::*;

/// The first file position in `op` or nested in it.
fn first_located(op: MlirOperation) -> Option<MlirLocation> {
    let loc = unsafe { mlirOperationGetLocation(op) };
    if file_line_col(loc).is_some() {
        return Some(loc);
    }
    each_nested(op, &mut |inner| {
        let l = unsafe { mlirOperationGetLocation(inner) };
        file_line_col(l).is_some().then_some(l)
    })
}

/// Calls `f` on every op nested in `op` (pre-order) until it returns
/// `Some`.
fn each_nested<T>(op: MlirOperation, f: &mut impl FnMut(MlirOperation) -> Option<T>) -> Option<T> {
    unsafe {
        for i in 0..mlirOperationGetNumRegions(op) {
            let mut block = mlirRegionGetFirstBlock(mlirOperationGetRegion(op, i));
            while !block.ptr.is_null() {
                let mut inner = mlirBlockGetFirstOperation(block);
                while !inner.ptr.is_null() {
                    if let Some(t) = f(inner).or_else(|| each_nested(inner, f)) {
                        return Some(t);
                    }
                    inner = mlirOperationGetNextInBlock(inner);
                }
                block = mlirBlockGetNextInRegion(block);
            }
        }
    }
    None
}

/// Gives every op of every `llvm.func` in `module` a file position (step 1
/// above). Functions without any (the runtime's declarations) are left.
fn locate_everything(module: MlirOperation) {
    let fallback = first_located(module);
    let body = unsafe { mlirRegionGetFirstBlock(mlirOperationGetRegion(module, 0)) };
    let mut func = unsafe { mlirBlockGetFirstOperation(body) };
    while !func.ptr.is_null() {
        if op_name(func) == "llvm.func" {
            let own = first_located(func).or(fallback);
            if let Some(loc) = own {
                unsafe {
                    if file_line_col(mlirOperationGetLocation(func)).is_none() {
                        mlirOperationSetLocation(func, loc);
                    }
                }
                each_nested(func, &mut |op| {
                    unsafe {
                        if file_line_col(mlirOperationGetLocation(op)).is_none() {
                            mlirOperationSetLocation(op, loc);
                        }
                    }
                    None::<()>
                });
            }
        }
        func = unsafe { mlirOperationGetNextInBlock(func) };
    }
}

/// Attaches debug info scopes to `module` (llvm dialect) so that its
/// translation to LLVM IR carries line tables; an error is MLIR's message.
pub fn attach(ctx: MlirContext, module: MlirOperation) -> Result<(), String> {
    locate_everything(module);
    let (ok, diags) = crate::dialect::capture::capture_diagnostics(module, || unsafe {
        let pm = mlirPassManagerCreate(ctx);
        mlirPassManagerAddOwnedPass(pm, mlirCreateLLVMDIScopeForLLVMFuncOpPass());
        let ok = mlirPassManagerRunOnOp(pm, module).value != 0;
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
