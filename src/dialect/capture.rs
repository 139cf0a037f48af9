//! Turning MLIR diagnostics into values.

use super::ir::{string_of, Location, Operation};
use super::rewrite::PassDiag;
use mlir_sys::*;

/// Runs `f` while collecting error diagnostics emitted in `op`'s context.
pub fn capture_diagnostics<'c, T>(
    op: Operation<'c>,
    f: impl FnOnce() -> T,
) -> (T, Vec<PassDiag<'c>>) {
    let mut diags: Vec<(MlirLocation, String)> = Vec::new();
    unsafe extern "C" fn handler(
        d: MlirDiagnostic,
        data: *mut std::ffi::c_void,
    ) -> MlirLogicalResult {
        let out = unsafe { &mut *(data as *mut Vec<(MlirLocation, String)>) };
        unsafe {
            if mlirDiagnosticGetSeverity(d) == MlirDiagnosticSeverity_MlirDiagnosticError {
                let mut msg = String::new();
                unsafe extern "C" fn cb(s: MlirStringRef, data: *mut std::ffi::c_void) {
                    let out = unsafe { &mut *(data as *mut String) };
                    out.push_str(&unsafe { string_of(s) });
                }
                mlirDiagnosticPrint(d, Some(cb), &mut msg as *mut String as *mut _);
                out.push((mlirDiagnosticGetLocation(d), msg));
            }
        }
        MlirLogicalResult { value: 1 }
    }
    let ctx = op.context().raw();
    let id = unsafe {
        mlirContextAttachDiagnosticHandler(
            ctx,
            Some(handler),
            &mut diags as *mut Vec<(MlirLocation, String)> as *mut _,
            None,
        )
    };
    let r = f();
    unsafe { mlirContextDetachDiagnosticHandler(ctx, id) };
    let diags = diags
        .into_iter()
        .map(|(loc, message)| PassDiag {
            // SAFETY: a diagnostic's location lives in the context, which
            // outlives 'c.
            loc: unsafe { Location::from_raw(loc) },
            message,
        })
        .collect();
    (r, diags)
}
