//! Turning MLIR diagnostics into values.

use super::builder::string_of;
use super::rewrite::PassDiag;
use mlir_sys::*;

/// Runs `f` while collecting error diagnostics emitted in `op`'s context.
pub fn capture_diagnostics<T>(op: MlirOperation, f: impl FnOnce() -> T) -> (T, Vec<PassDiag>) {
    let mut diags: Vec<PassDiag> = Vec::new();
    unsafe extern "C" fn handler(
        d: MlirDiagnostic,
        data: *mut std::ffi::c_void,
    ) -> MlirLogicalResult {
        let out = unsafe { &mut *(data as *mut Vec<PassDiag>) };
        unsafe {
            if mlirDiagnosticGetSeverity(d) == MlirDiagnosticSeverity_MlirDiagnosticError {
                let mut msg = String::new();
                unsafe extern "C" fn cb(s: MlirStringRef, data: *mut std::ffi::c_void) {
                    let out = unsafe { &mut *(data as *mut String) };
                    out.push_str(&string_of(s));
                }
                mlirDiagnosticPrint(d, Some(cb), &mut msg as *mut String as *mut _);
                out.push(PassDiag {
                    loc: mlirDiagnosticGetLocation(d),
                    message: msg,
                });
            }
        }
        MlirLogicalResult { value: 1 }
    }
    let ctx = unsafe { mlirOperationGetContext(op) };
    let id = unsafe {
        mlirContextAttachDiagnosticHandler(
            ctx,
            Some(handler),
            &mut diags as *mut Vec<PassDiag> as *mut _,
            None,
        )
    };
    let r = f();
    unsafe { mlirContextDetachDiagnosticHandler(ctx, id) };
    (r, diags)
}
