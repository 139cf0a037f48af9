//! The container runtime's bitcode (runtime/cfrt.c, built by build.rs).
//!
//! Linked into a module that declares any `cfrt_*` function, before LLVM
//! optimisation; `export_only` then makes every runtime function internal,
//! so LLVM inlines the hot ones and drops the rest.

use super::transform::link_bitcode;
use super::LlvmModule;
use crate::abi::RUNTIME_PREFIX;
use crate::diagnostics::{Error, Result};

/// The bitcode bytes.
pub const BITCODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cfrt.bc"));

/// Whether the module calls into the runtime.
pub fn needed(m: &LlvmModule) -> bool {
    unsafe {
        let module = m.raw() as mlir_sys::LLVMModuleRef;
        let mut f = mlir_sys::LLVMGetFirstFunction(module);
        while !f.is_null() {
            let mut len = 0usize;
            let p = mlir_sys::LLVMGetValueName2(f, &mut len);
            if !p.is_null() && mlir_sys::LLVMIsDeclaration(f) != 0 {
                let name = std::slice::from_raw_parts(p as *const u8, len);
                if name.starts_with(RUNTIME_PREFIX.as_bytes()) {
                    return true;
                }
            }
            f = mlir_sys::LLVMGetNextFunction(f);
        }
    }
    false
}

/// Links the runtime into `m` if it uses it; returns the functions it
/// defined.
pub fn link_if_needed(m: &LlvmModule) -> Result<Vec<String>> {
    if !needed(m) {
        return Ok(Vec::new());
    }
    link_bitcode(m, BITCODE, "cfunc runtime")?.map_err(Error::Internal)
}
