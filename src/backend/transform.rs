//! LLVM IR transforms applied after translation: the export name,
//! internalisation, force-inline and bitcode linking.

use super::llvm_sys::*;
use super::LlvmModule;
use crate::diagnostics::{Error, Result};
use std::ffi::CString;

/// LLVM's linkage numbering (`LLVMLinkage`).
const EXTERNAL: u32 = 0;
const INTERNAL: u32 = 8;

fn name_of(v: mlir_sys::LLVMValueRef) -> String {
    let mut len = 0usize;
    let p = unsafe { mlir_sys::LLVMGetValueName2(v, &mut len) };
    if p.is_null() {
        return String::new();
    }
    let bytes = unsafe { std::slice::from_raw_parts(p as *const u8, len) };
    String::from_utf8_lossy(bytes).into_owned()
}

/// Renames `exports` (old → new name) and gives every other defined
/// function and global internal linkage, so the `.so` exports only them.
pub fn export_only(m: &LlvmModule, exports: &[(&str, &str)]) -> Result<()> {
    unsafe {
        let module = m.raw() as mlir_sys::LLVMModuleRef;
        for (old, new) in exports {
            let c_old = CString::new(*old).expect("no NUL");
            let f = mlir_sys::LLVMGetNamedFunction(module, c_old.as_ptr());
            if f.is_null() {
                return Err(Error::Internal(format!(
                    "function '{old}' missing after translation"
                )));
            }
            mlir_sys::LLVMSetValueName2(f, new.as_ptr() as *const _, new.len());
        }
        let keep: Vec<&str> = exports.iter().map(|(_, n)| *n).collect();
        let mut f = mlir_sys::LLVMGetFirstFunction(module);
        while !f.is_null() {
            if mlir_sys::LLVMIsDeclaration(f) == 0 {
                let name = name_of(f);
                let linkage = if keep.contains(&name.as_str()) {
                    EXTERNAL
                } else {
                    INTERNAL
                };
                mlir_sys::LLVMSetLinkage(f, linkage as _);
            }
            f = mlir_sys::LLVMGetNextFunction(f);
        }
        let mut g = mlir_sys::LLVMGetFirstGlobal(module);
        while !g.is_null() {
            if mlir_sys::LLVMIsDeclaration(g) == 0 {
                mlir_sys::LLVMSetLinkage(g, INTERNAL as _);
            }
            g = mlir_sys::LLVMGetNextGlobal(g);
        }
    }
    Ok(())
}

/// Adds `alwaysinline` to every defined internal function.
pub fn force_inline(m: &LlvmModule) {
    unsafe {
        let module = m.raw() as mlir_sys::LLVMModuleRef;
        let ctx = m.context() as mlir_sys::LLVMContextRef;
        let kind = mlir_sys::LLVMGetEnumAttributeKindForName(
            c"alwaysinline".as_ptr(),
            "alwaysinline".len(),
        );
        let attr = mlir_sys::LLVMCreateEnumAttribute(ctx, kind, 0);
        let mut f = mlir_sys::LLVMGetFirstFunction(module);
        while !f.is_null() {
            if mlir_sys::LLVMIsDeclaration(f) == 0 && mlir_sys::LLVMGetLinkage(f) as u32 == INTERNAL
            {
                mlir_sys::LLVMAddAttributeAtIndex(f, u32::MAX, attr);
            }
            f = mlir_sys::LLVMGetNextFunction(f);
        }
    }
}

/// Links a bitcode file's bytes into the module.
pub fn link_bitcode(m: &LlvmModule, bytes: &[u8], name: &str) -> Result<()> {
    unsafe {
        let c_name = CString::new(name).unwrap_or_default();
        let buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(
            bytes.as_ptr() as *const _,
            bytes.len(),
            c_name.as_ptr(),
        );
        let mut other = std::ptr::null_mut();
        if LLVMParseBitcodeInContext2(m.context(), buf, &mut other) != 0 {
            LLVMDisposeMemoryBuffer(buf);
            return Err(Error::Usage(format!(
                "{name}: not LLVM bitcode this LLVM can read"
            )));
        }
        LLVMDisposeMemoryBuffer(buf);
        if LLVMLinkModules2(m.raw(), other) != 0 {
            return Err(Error::Usage(format!(
                "{name}: linking the bitcode failed (conflicting symbols?)"
            )));
        }
    }
    Ok(())
}

/// `--fastmath`: sets every LLVM fast-math flag on every floating-point
/// instruction (reassociation, contraction, no NaNs/infs, no signed zeros,
/// reciprocals, approximate functions). Results may then differ from
/// Python's IEEE arithmetic, which is why it is opt-in.
pub fn fastmath(m: &LlvmModule) {
    unsafe {
        let module = m.raw() as mlir_sys::LLVMModuleRef;
        let mut f = mlir_sys::LLVMGetFirstFunction(module);
        while !f.is_null() {
            let mut bb = mlir_sys::LLVMGetFirstBasicBlock(f);
            while !bb.is_null() {
                let mut i = mlir_sys::LLVMGetFirstInstruction(bb);
                while !i.is_null() {
                    if mlir_sys::LLVMCanValueUseFastMathFlags(i) != 0 {
                        mlir_sys::LLVMSetFastMathFlags(i, mlir_sys::LLVMFastMathAll as _);
                    }
                    i = mlir_sys::LLVMGetNextInstruction(i);
                }
                bb = mlir_sys::LLVMGetNextBasicBlock(bb);
            }
            f = mlir_sys::LLVMGetNextFunction(f);
        }
    }
}
