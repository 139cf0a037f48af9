//! `cfunc-to-llvm`: the upstream conversions from func/arith/math/scf/cf
//! (and what the cfunc passes produced) to the llvm dialect.
//!
//! ```text
//! scf.while (from cfunc.ipow)    ──▶  cf blocks
//! math / arith / cf / func / ub  ──▶  llvm ops (libm calls where no intrinsic)
//! unrealized_conversion_cast     ──reconcile──▶  gone (handles are !llvm.ptr)
//! llvm.alloca slots (locals)     ──▶  kept: LLVM's SROA promotes them
//! ```
//! Position: last; it converts everything the cfunc passes produced, and
//! reconcile-unrealized-casts needs every cfunc type gone.
//!
//! Local slots are left to LLVM. MLIR's `mem2reg` promotes one slot at a
//! time and walks the function for each, so its time grows with slots ×
//! function size: it made this pass take 0.12 s at 1,000 generated lines,
//! 5.4 s at 5,000 and 20 s at 10,000 (benches/passes.rs). LLVM's SROA, in
//! every `default<On>` pipeline from O1, promotes all slots in one pass; the
//! machine code of the 138 differential nodes is the same size either way
//! (46,462 and 46,469 instructions). `cfunc-opt` can still run
//! `func.func(mem2reg)` by name to read the IR in SSA form.
//!
//! Also runs any upstream pass named in a pipeline, through MLIR's own
//! pipeline parser (`mlirOpPassManagerAddPipeline`). Statistics: ops of
//! other dialects converted.

use super::pattern::{count, PassDiag};
use crate::dialect::builder::sref;
use crate::dialect::builder::string_of;
use crate::registry::CompilationContext;
use mlir_sys::*;
use std::sync::Once;

/// The upstream passes of `cfunc-to-llvm`, in order.
pub const TO_LLVM: &str = "convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,\
convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,convert-ub-to-llvm,reconcile-unrealized-casts";

static REGISTER: Once = Once::new();

/// Registers MLIR's passes for textual pipelines, once per process.
pub fn register_upstream_passes() {
    REGISTER.call_once(|| unsafe { mlirRegisterAllPasses() });
}

/// Runs the conversion. Unlike a pipeline given by name, it does not
/// verify between its upstream passes (2% of a small compile): the pipeline
/// verifies its result.
///
/// The pass manager is built anew each time: keeping one per context was
/// measured and saves nothing, since each conversion pass builds its
/// patterns when it runs.
pub fn run(cx: &CompilationContext, module: MlirOperation) -> Result<(), Vec<PassDiag>> {
    count(
        "converted",
        "ops of other dialects converted to the llvm dialect (or removed)",
        foreign_ops(module),
    );
    run_with(cx, module, TO_LLVM, false)
}

/// The number of ops nested in `module` outside the llvm dialect.
fn foreign_ops(module: MlirOperation) -> u64 {
    fn walk(op: MlirOperation, n: &mut u64) {
        unsafe {
            let name = mlirIdentifierStr(mlirOperationGetName(op));
            let bytes = std::slice::from_raw_parts(name.data as *const u8, name.length);
            if !bytes.starts_with(b"llvm.") {
                *n += 1;
            }
            for i in 0..mlirOperationGetNumRegions(op) {
                let mut block = mlirRegionGetFirstBlock(mlirOperationGetRegion(op, i));
                while !block.ptr.is_null() {
                    let mut inner = mlirBlockGetFirstOperation(block);
                    while !inner.ptr.is_null() {
                        walk(inner, n);
                        inner = mlirOperationGetNextInBlock(inner);
                    }
                    block = mlirBlockGetNextInRegion(block);
                }
            }
        }
    }
    let mut n = 0;
    walk(module, &mut n);
    // The module itself stays.
    n.saturating_sub(1)
}

/// A pass manager running `pipeline`; the caller destroys it.
fn build_pass_manager(
    ctx: MlirContext,
    pipeline: &str,
    verify: bool,
) -> Result<MlirPassManager, String> {
    register_upstream_passes();
    unsafe {
        let pm = mlirPassManagerCreate(ctx);
        mlirPassManagerEnableVerifier(pm, verify);
        let opm = mlirPassManagerGetAsOpPassManager(pm);
        let mut err = String::new();
        unsafe extern "C" fn cb(s: MlirStringRef, data: *mut std::ffi::c_void) {
            let out = unsafe { &mut *(data as *mut String) };
            out.push_str(&string_of(s));
        }
        let parsed = mlirOpPassManagerAddPipeline(
            opm,
            sref(pipeline),
            Some(cb),
            &mut err as *mut String as *mut _,
        );
        if parsed.value == 0 {
            mlirPassManagerDestroy(pm);
            return Err(err.trim().to_string());
        }
        Ok(pm)
    }
}

/// Runs an upstream pipeline fragment (`canonicalize`, `cse`, ...) on the
/// module.
pub fn run_upstream(
    cx: &CompilationContext,
    module: MlirOperation,
    pipeline: &str,
) -> Result<(), Vec<PassDiag>> {
    run_with(cx, module, pipeline, true)
}

/// Runs `pipeline`, verifying after each pass when `verify_each`.
fn run_with(
    cx: &CompilationContext,
    module: MlirOperation,
    pipeline: &str,
    verify_each: bool,
) -> Result<(), Vec<PassDiag>> {
    let loc = unsafe { mlirOperationGetLocation(module) };
    let ctx = cx.mlir().to_raw();
    let (ok, mut diags) = crate::dialect::capture::capture_diagnostics(module, || unsafe {
        let pm = build_pass_manager(ctx, pipeline, verify_each)?;
        let r = mlirPassManagerRunOnOp(pm, module);
        mlirPassManagerDestroy(pm);
        Ok::<bool, String>(r.value != 0)
    });
    match ok {
        Err(e) => Err(vec![PassDiag {
            loc,
            message: format!("unknown pass or bad pipeline '{pipeline}': {e}"),
        }]),
        Ok(true) => Ok(()),
        Ok(false) => {
            if diags.is_empty() {
                diags.push(PassDiag {
                    loc,
                    message: format!("pipeline '{pipeline}' failed"),
                });
            }
            Err(diags)
        }
    }
}
