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
//! Not an MLIR pass of its own: like a pass pipeline registered in MLIR,
//! the name stands for its upstream passes, which join the pass manager in
//! its place (so MLIR's verifier, printing and timing see each of them).
//! Statistics: ops of other dialects converted, counted on the IR the
//! conversions start from.

use super::pattern::count as add_count;
use crate::dialect::ir::Operation;
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

/// The passes of [`TO_LLVM`], created directly (as `mlir-opt` would parse
/// them without options): the default pipeline needs neither MLIR's pass
/// registry nor its pipeline parser.
pub(crate) fn create() -> Vec<MlirPass> {
    unsafe {
        vec![
            mlirCreateConversionSCFToControlFlowPass(),
            mlirCreateConversionConvertMathToLLVMPass(),
            mlirCreateConversionConvertMathToLibmPass(),
            mlirCreateConversionArithToLLVMConversionPass(),
            mlirCreateConversionConvertControlFlowToLLVMPass(),
            mlirCreateConversionConvertFuncToLLVMPass(),
            mlirCreateConversionUBToLLVMConversionPass(),
            mlirCreateConversionReconcileUnrealizedCastsPass(),
        ]
    }
}

/// The statistics of `cfunc-to-llvm`, counted on the module before its
/// conversions run.
pub fn count(module: Operation<'_>) {
    add_count(
        "converted",
        "ops of other dialects converted to the llvm dialect (or removed)",
        foreign_ops(module),
    );
}

/// The number of ops nested in `module` outside the llvm dialect.
fn foreign_ops(module: Operation<'_>) -> u64 {
    let mut n: u64 = 0;
    module.walk(&mut |op| {
        if !op.name_starts_with("llvm.") {
            n += 1;
        }
    });
    // The module itself stays.
    n.saturating_sub(1)
}
