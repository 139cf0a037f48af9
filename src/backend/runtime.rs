//! The container runtime (runtime/cfrt.c, built by build.rs), in two forms.
//!
//! - The **inline part** (`new`, `len`, `get`, `append`, `dict_find`,
//!   `dict_set`, `dict_next`, ...): LLVM bitcode, optimised at build time.
//!   [`link_if_needed`] links into a module only the functions it calls (and
//!   what they call), before LLVM's optimisation; `export_only` then makes
//!   them internal, so LLVM inlines them into the node.
//! - The **machine-code parts** ([`PARTS`]: list growth, dict growth and
//!   compaction, sort, slice): compiled to assembly at build time, and that
//!   assembly assembled into an object per part. For the JIT and `--emit`,
//!   [`append_machine_code`] appends a part to the optimised module, as
//!   module-level inline assembly, when the node still calls into it; for a
//!   `.so`, the link adds the objects of the parts the node objects call
//!   ([`parts_called_by`]), once per `.so`. No node optimises or
//!   code-generates them again.
//!
//! A node that uses a dict thus pays for the few hot operations it inlines,
//! and not for the cold functions behind them (docs/pipeline.md, "The
//! container runtime").

use super::llvm_sys::*;
use super::{functions, name_of, LlvmModule};
use crate::abi::RUNTIME_PREFIX;
use crate::diagnostics::{Error, Result};

/// The inline part's bitcode.
pub const BITCODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cfrt.bc"));

/// A part of the runtime compiled to machine code at build time.
#[derive(Debug)]
pub struct Part {
    /// Its name (`dict`).
    pub name: &'static str,
    /// The functions it defines for the node and the inline part
    /// (`cfrt_slow_dict_grow_and_set`, `cfrt_list_sort_i64`).
    pub entries: &'static [&'static str],
    /// Its assembly: every symbol local, its labels its own.
    pub asm: &'static str,
    /// The same code assembled into a relocatable object, its entries
    /// hidden globals: what a `.so` links beside the node's object.
    pub object: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/cfrt_parts.rs"));

/// Everything of the runtime that can end up in a node's code, for the
/// semantic key.
pub fn fingerprint() -> Vec<&'static [u8]> {
    let mut out = vec![BITCODE];
    out.extend(PARTS.iter().map(|p| p.asm.as_bytes()));
    out
}

/// LLVM's `LLVMLinkOnceODRLinkage`.
const LINK_ONCE_ODR: u32 = 3;

/// Whether the module calls into the runtime.
pub fn needed(m: &LlvmModule) -> bool {
    functions(m.raw() as _).into_iter().any(|f| {
        let declared = unsafe { mlir_sys::LLVMIsDeclaration(f) != 0 };
        declared && name_of(f).starts_with(RUNTIME_PREFIX)
    })
}

/// Function attributes that tie a function to the CPU it was compiled for:
/// LLVM does not inline a callee whose target features are not a subset of
/// its caller's, and the node's functions carry none.
const TARGET_ATTRIBUTES: [&str; 3] = ["target-cpu", "target-features", "tune-cpu"];

/// Links the inline part's functions that `m` calls, and the functions and
/// globals those use, into `m`; returns the names of the functions the part
/// defines (whether or not `m` needed them).
///
/// The bitcode is read lazily: only the bodies of the functions linked are
/// read. Every definition is made `linkonce_odr` first, which LLVM's linker
/// moves only when the destination refers to it.
pub fn link_if_needed(m: &LlvmModule) -> Result<Vec<String>> {
    if !needed(m) {
        return Ok(Vec::new());
    }
    unsafe {
        let buf = mlir_sys::LLVMCreateMemoryBufferWithMemoryRange(
            BITCODE.as_ptr() as *const _,
            BITCODE.len(),
            c"cfunc runtime".as_ptr(),
            0,
        );
        let mut src = std::ptr::null_mut();
        m.take_diagnostics();
        // On success the module owns the buffer (whose bytes are static).
        if LLVMGetBitcodeModuleInContext2(m.context(), buf as Ref, &mut src) != 0 || src.is_null() {
            mlir_sys::LLVMDisposeMemoryBuffer(buf);
            return Err(Error::Internal(format!(
                "the runtime's bitcode does not load: {:?}",
                m.take_diagnostics()
            )));
        }
        let src = src as mlir_sys::LLVMModuleRef;
        let mut defined = Vec::new();
        for f in functions(src) {
            if mlir_sys::LLVMIsDeclaration(f) != 0 {
                continue;
            }
            for attr in TARGET_ATTRIBUTES {
                mlir_sys::LLVMRemoveStringAttributeAtIndex(
                    f,
                    u32::MAX,
                    attr.as_ptr() as *const _,
                    attr.len() as u32,
                );
            }
            if mlir_sys::LLVMGetLinkage(f) as u32 == 0 {
                mlir_sys::LLVMSetLinkage(f, LINK_ONCE_ODR as _);
            }
            defined.push(name_of(f));
        }
        let mut g = mlir_sys::LLVMGetFirstGlobal(src);
        while !g.is_null() {
            if mlir_sys::LLVMIsDeclaration(g) == 0 && mlir_sys::LLVMGetLinkage(g) as u32 == 0 {
                mlir_sys::LLVMSetLinkage(g, LINK_ONCE_ODR as _);
            }
            g = mlir_sys::LLVMGetNextGlobal(g);
        }
        // LLVMLinkModules2 takes ownership of `src`.
        if LLVMLinkModules2(m.raw(), src as Ref) != 0 {
            return Err(Error::Internal(format!(
                "LLVM could not link the runtime: {:?}",
                m.take_diagnostics()
            )));
        }
        m.take_diagnostics();
        declare_machine_code(m);
        Ok(defined)
    }
}

/// Marks the module's declarations of machine-code functions `nounwind`
/// (C functions do not unwind; clang declares them without it) and hidden
/// (defined in the same object: called directly, not through a PLT), and
/// drops the build's target attributes from them.
fn declare_machine_code(m: &LlvmModule) {
    let kind = unsafe { mlir_sys::LLVMGetEnumAttributeKindForName(c"nounwind".as_ptr(), 8) };
    for f in functions(m.raw() as _) {
        if unsafe { mlir_sys::LLVMIsDeclaration(f) } == 0 {
            continue;
        }
        let name = name_of(f);
        if !PARTS.iter().any(|p| p.entries.contains(&name.as_str())) {
            continue;
        }
        unsafe {
            let attr = mlir_sys::LLVMCreateEnumAttribute(m.context() as _, kind, 0);
            mlir_sys::LLVMAddAttributeAtIndex(f, u32::MAX, attr);
            mlir_sys::LLVMSetVisibility(f, mlir_sys::LLVMVisibility_LLVMHiddenVisibility);
            for a in TARGET_ATTRIBUTES {
                mlir_sys::LLVMRemoveStringAttributeAtIndex(
                    f,
                    u32::MAX,
                    a.as_ptr() as *const _,
                    a.len() as u32,
                );
            }
        }
    }
}

/// The machine-code parts the module calls into: a function a part defines
/// that the module declares and still uses.
pub fn parts_used(m: &LlvmModule) -> Vec<&'static Part> {
    let called: Vec<String> = functions(m.raw() as _)
        .into_iter()
        .filter(|&f| unsafe {
            mlir_sys::LLVMIsDeclaration(f) != 0 && !mlir_sys::LLVMGetFirstUse(f).is_null()
        })
        .map(name_of)
        .filter(|n| n.starts_with(RUNTIME_PREFIX))
        .collect();
    PARTS
        .iter()
        .filter(|p| p.entries.iter().any(|e| called.iter().any(|c| c == e)))
        .collect()
}

/// The parts that the relocatable objects `objects` call into (an
/// undefined symbol a part defines), with the parts those call in turn:
/// what a `.so` of these objects links beside them, each once. An object
/// whose machine code was appended as assembly calls none.
pub fn parts_called_by(objects: &[&[u8]]) -> Result<Vec<&'static Part>> {
    use object::{Object, ObjectSymbol};
    let mut used = vec![false; PARTS.len()];
    let mut todo: Vec<&[u8]> = objects.to_vec();
    while let Some(bytes) = todo.pop() {
        let file = object::File::parse(bytes).map_err(|e| {
            Error::Internal(format!("reading an object for its runtime calls: {e}"))
        })?;
        for sym in file.symbols().filter(|s| s.is_undefined()) {
            let Ok(name) = sym.name() else { continue };
            if let Some(i) = PARTS.iter().position(|p| p.entries.contains(&name)) {
                if !used[i] {
                    used[i] = true;
                    todo.push(PARTS[i].object);
                }
            }
        }
    }
    Ok(PARTS
        .iter()
        .zip(used)
        .filter_map(|(p, u)| u.then_some(p))
        .collect())
}

/// Appends the machine code of every part the (optimised) module calls
/// into, as module-level inline assembly; returns their names. Run it
/// after LLVM's optimisation, so that a call the optimiser removed brings
/// in nothing. This keeps the node's object whole (the JIT, `--emit obj`);
/// a `.so` links the parts' objects instead ([`parts_called_by`]), which
/// the code generator need not assemble from text again.
pub fn append_machine_code(m: &LlvmModule) -> Vec<&'static str> {
    let parts = parts_used(m);
    for p in &parts {
        unsafe {
            mlir_sys::LLVMAppendModuleInlineAsm(
                m.raw() as _,
                p.asm.as_ptr() as *const _,
                p.asm.len(),
            )
        };
    }
    parts.iter().map(|p| p.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_define_what_the_inline_part_calls_and_nothing_it_defines() {
        let entries: Vec<&str> = PARTS
            .iter()
            .flat_map(|p| p.entries.iter().copied())
            .collect();
        for e in &entries {
            assert!(e.starts_with(RUNTIME_PREFIX), "{e}");
        }
        // Read the inline part whole: its declarations of runtime
        // functions are all defined by a part, and it defines none of them.
        unsafe {
            let ctx = mlir_sys::LLVMContextCreate();
            let buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(
                BITCODE.as_ptr() as *const _,
                BITCODE.len(),
                c"cfrt".as_ptr(),
            );
            let mut module = std::ptr::null_mut();
            assert_eq!(LLVMParseBitcodeInContext2(ctx as Ref, buf, &mut module), 0);
            LLVMDisposeMemoryBuffer(buf);
            let module = module as mlir_sys::LLVMModuleRef;
            let mut declared = 0;
            for f in functions(module) {
                let name = name_of(f);
                let declaration = mlir_sys::LLVMIsDeclaration(f) != 0;
                if declaration && name.starts_with(RUNTIME_PREFIX) {
                    assert!(entries.contains(&name.as_str()), "{name}");
                    declared += 1;
                }
                if !declaration {
                    assert!(!entries.contains(&name.as_str()), "{name}");
                }
            }
            assert!(declared >= 5, "the inline part calls the slow paths");
            mlir_sys::LLVMDisposeModule(module);
            mlir_sys::LLVMContextDispose(ctx);
        }
    }

    #[test]
    fn every_part_has_code_and_local_symbols_only() {
        for p in PARTS {
            assert!(!p.entries.is_empty(), "{}", p.name);
            assert!(!p.asm.contains(".globl"), "{}", p.name);
            for e in p.entries {
                assert!(p.asm.contains(&format!("\n{e}:\n")), "{}: {e}", p.name);
            }
        }
    }
}
