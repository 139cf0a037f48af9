//! LLVM IR transforms applied after translation: the export name,
//! internalisation, force-inline, the FFI attributes of extern declarations
//! and bitcode linking.

use super::llvm_sys::*;
use super::{functions, name_of, LlvmModule};
use crate::abi::externs::ExternFunction;
use crate::diagnostics::{Error, Result};
use crate::types::Ty;
use std::ffi::CString;

/// LLVM's linkage numbering (`LLVMLinkage`).
const EXTERNAL: u32 = 0;
const INTERNAL: u32 = 8;

/// Adds `const char *symbol(void)`, returning `text` (NUL-terminated,
/// static data): the `.so`'s self-description (`<native_name>_layout`).
pub fn add_text_accessor(m: &LlvmModule, symbol: &str, text: &str) {
    use mlir_sys::*;
    let name = CString::new(symbol).expect("no NUL");
    let data = CString::new(format!("{symbol}.text")).expect("no NUL");
    unsafe {
        let module = m.raw() as LLVMModuleRef;
        let ctx = LLVMGetModuleContext(module);
        let s = LLVMConstStringInContext2(ctx, text.as_ptr() as *const _, text.len(), 0);
        let g = LLVMAddGlobal(module, LLVMTypeOf(s), data.as_ptr());
        LLVMSetInitializer(g, s);
        LLVMSetGlobalConstant(g, 1);
        LLVMSetLinkage(g, INTERNAL as _);
        let ptr = LLVMPointerTypeInContext(ctx, 0);
        let f = LLVMAddFunction(
            module,
            name.as_ptr(),
            LLVMFunctionType(ptr, std::ptr::null_mut(), 0, 0),
        );
        let entry = LLVMAppendBasicBlockInContext(ctx, f, c"entry".as_ptr());
        let b = LLVMCreateBuilderInContext(ctx);
        LLVMPositionBuilderAtEnd(b, entry);
        LLVMBuildRet(b, g);
        LLVMDisposeBuilder(b);
    }
}

/// Renames `exports` (old → new name) and gives every other defined
/// function and global internal linkage, so the `.so` exports only them.
///
/// Functions named in `keep_external` (linked bitcode's, when it is not
/// internalised) keep the linkage they were linked with, and so are
/// exported.
pub fn export_only(
    m: &LlvmModule,
    exports: &[(&str, &str)],
    keep_external: &[String],
) -> Result<()> {
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
                if !keep_external.contains(&name) {
                    let linkage = if keep.contains(&name.as_str()) {
                        EXTERNAL
                    } else {
                        INTERNAL
                    };
                    mlir_sys::LLVMSetLinkage(f, linkage as _);
                }
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

/// The attribute index of the function itself (`LLVMAttributeFunctionIndex`).
const FUNCTION_INDEX: u32 = u32::MAX;
/// The attribute index of the return value.
const RETURN_INDEX: u32 = 0;

fn attr_kind(name: &str) -> u32 {
    unsafe { mlir_sys::LLVMGetEnumAttributeKindForName(name.as_ptr() as *const _, name.len()) }
}

/// Adds the enum attribute `name` (with integer value `value`) at `index`.
fn add_attr(m: &LlvmModule, f: mlir_sys::LLVMValueRef, index: u32, name: &str, value: u64) {
    unsafe {
        let ctx = m.context() as mlir_sys::LLVMContextRef;
        let attr = mlir_sys::LLVMCreateEnumAttribute(ctx, attr_kind(name), value);
        mlir_sys::LLVMAddAttributeAtIndex(f, index, attr);
    }
}

fn remove_fn_attr(f: mlir_sys::LLVMValueRef, name: &str) {
    unsafe { mlir_sys::LLVMRemoveEnumAttributeAtIndex(f, FUNCTION_INDEX, attr_kind(name)) }
}

/// Marks `f` `alwaysinline`, removing `noinline` and `optnone` (which
/// clang puts on every function at -O0 and which exclude it).
fn make_always_inline(m: &LlvmModule, f: mlir_sys::LLVMValueRef) {
    remove_fn_attr(f, "noinline");
    remove_fn_attr(f, "optnone");
    add_attr(m, f, FUNCTION_INDEX, "alwaysinline", 0);
}

fn named_function(m: &LlvmModule, name: &str) -> Option<mlir_sys::LLVMValueRef> {
    let c = CString::new(name).ok()?;
    let f = unsafe { mlir_sys::LLVMGetNamedFunction(m.raw() as _, c.as_ptr()) };
    (!f.is_null()).then_some(f)
}

/// `force_inline`: marks every function generated from the node (the
/// exported ABI wrapper, the phase functions, the fault accessor)
/// `alwaysinline` and removes `noinline`/`optnone` from them. Definitions
/// linked from bitcode (`linked`: the container runtime's inline part,
/// `--link-bitcode`) keep their own inlining attributes (the runtime's slow
/// paths are machine code, out of the inliner's reach anyway), and an
/// extern's definition is inlined through its own `inline` flag (see
/// [`extern_attributes`]).
pub fn force_inline(m: &LlvmModule, linked: &[String]) {
    for f in functions(m.raw() as _) {
        let defined = unsafe { mlir_sys::LLVMIsDeclaration(f) } == 0;
        if defined && !linked.contains(&name_of(f)) {
            make_always_inline(m, f);
        }
    }
}

/// Marks the node's lifecycle phase functions (`NODE.start`, `NODE.execute`,
/// `NODE.stop`) `alwaysinline`. Each has one call site, the exported
/// wrapper, and LLVM's inliner inlines them there anyway; marked, they are
/// inlined by the always-inliner at the head of the pipeline instead of
/// after the CGSCC pipeline has simplified each of them on its own, so the
/// node's code goes through the function pipeline once instead of twice.
/// The code is the same (the same instructions in the five node shapes of
/// `benches/many.rs`); the optimiser's time on a small node drops by a sixth
/// to a third. Not at `-O0`, which inlines nothing else either.
pub fn inline_phases(m: &LlvmModule, node: &str) {
    for phase in ["start", "execute", "stop"] {
        if let Some(f) = named_function(m, &format!("{node}.{phase}")) {
            if unsafe { mlir_sys::LLVMIsDeclaration(f) } == 0 {
                make_always_inline(m, f);
            }
        }
    }
}

/// Marks `alwaysinline` each function of `linked` (the container runtime's
/// inline part) that the module calls from exactly one place and uses in
/// no other way. Marked, it is inlined by the early `AlwaysInliner`,
/// before the inliner's bottom-up walk runs the whole function-
/// simplification pipeline over a callee that was optimised at build time.
/// A function called from several places is left to the inliner's cost
/// model.
///
/// LLVM's inliner mostly inlines such a call anyway (an internal
/// function's last call earns a large bonus): the five node shapes of
/// `benches/many.rs` and every per-tick benchmark node compile to the same
/// bytes. Where it did not (a node summing three lists kept the sum loops
/// as functions), the code is now smaller and no slower per tick. LLVM's
/// optimiser spends ~30% less time on the dict and list-window nodes.
pub fn inline_single_calls(m: &LlvmModule, linked: &[String]) {
    use mlir_sys::*;
    for name in linked {
        let Some(f) = named_function(m, name) else {
            continue;
        };
        unsafe {
            if LLVMIsDeclaration(f) != 0 {
                continue;
            }
            let first = LLVMGetFirstUse(f);
            if first.is_null() || !LLVMGetNextUse(first).is_null() {
                continue;
            }
            let user = LLVMGetUser(first);
            let direct_call = !LLVMIsACallInst(user).is_null()
                && LLVMGetCalledValue(user) == f
                && !LLVMGetInstructionParent(user).is_null()
                && LLVMGetBasicBlockParent(LLVMGetInstructionParent(user)) != f;
            if direct_call {
                make_always_inline(m, f);
            }
        }
    }
}

/// `memory(read)`: read access (`ModRefInfo::Ref` = 1) for each of the six
/// memory locations LLVM 22 distinguishes (argument memory, inaccessible
/// memory, errno, other, and two target-specific ones), two bits each.
const MEMORY_READ: u64 = 0b01_01_01_01_01_01;

/// The C ABI attributes of the externs the node calls.
///
/// A declaration (the host provides the function) gets `nounwind`, plus
/// `memory(read)` when the extern is pure, and `zeroext` on `bool`
/// parameters and results (C's `_Bool`, as clang declares it). A definition
/// linked from bitcode keeps the attributes clang gave it, and is made
/// `alwaysinline` when the extern asks for inlining (the default).
pub fn extern_attributes(m: &LlvmModule, externs: &[ExternFunction]) {
    for e in externs {
        let Some(f) = named_function(m, &e.symbol) else {
            continue;
        };
        if unsafe { mlir_sys::LLVMIsDeclaration(f) } == 0 {
            if e.inline {
                make_always_inline(m, f);
            }
            continue;
        }
        add_attr(m, f, FUNCTION_INDEX, "nounwind", 0);
        if e.pure {
            add_attr(m, f, FUNCTION_INDEX, "memory", MEMORY_READ);
        }
        for (i, t) in e.params.iter().enumerate() {
            if *t == Ty::Bool {
                add_attr(m, f, i as u32 + 1, "zeroext", 0);
            }
        }
        if e.ret == Some(Ty::Bool) {
            add_attr(m, f, RETURN_INDEX, "zeroext", 0);
        }
    }
}

/// The externs whose functions are still declarations (no linked bitcode
/// defined them): the compiled code imports them.
pub fn still_declared(m: &LlvmModule, externs: &[ExternFunction]) -> Vec<ExternFunction> {
    externs
        .iter()
        .filter(|e| {
            named_function(m, &e.symbol)
                .is_some_and(|f| unsafe { mlir_sys::LLVMIsDeclaration(f) } != 0)
        })
        .cloned()
        .collect()
}

fn type_text(t: mlir_sys::LLVMTypeRef) -> String {
    let p = unsafe { mlir_sys::LLVMPrintTypeToString(t) };
    if p.is_null() {
        return String::new();
    }
    let s = unsafe { std::ffi::CStr::from_ptr(p) }
        .to_string_lossy()
        .into_owned();
    unsafe { mlir_sys::LLVMDisposeMessage(p) };
    s
}

fn describe(diagnostics: &[super::Diagnostic]) -> String {
    let text: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    if text.is_empty() {
        "no reason given".into()
    } else {
        text.join("; ")
    }
}

/// Function attributes that tie a function to the CPU it was compiled for.
/// LLVM does not inline a callee whose target features are not a subset of
/// its caller's, and the node's functions carry none (the target machine
/// decides), so linked functions lose them and are compiled for the node's
/// target CPU.
const TARGET_ATTRIBUTES: [&str; 3] = ["target-cpu", "target-features", "tune-cpu"];

/// Links LLVM bitcode into the module, before optimisation.
///
/// Returns the names of the functions the bitcode defines, or `Ok(Err(why))`
/// when nothing was linked because the bytes are not bitcode this LLVM can
/// read, or because they define a symbol the module already defines: the
/// caller reports that as a warning and calls stay external. A function the
/// bitcode defines with another type than the node declares it with is an
/// error (calling it would be undefined behaviour).
pub fn link_bitcode(
    m: &LlvmModule,
    bytes: &[u8],
    name: &str,
) -> Result<std::result::Result<Vec<String>, String>> {
    unsafe {
        let c_name = CString::new(name).unwrap_or_default();
        let buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(
            bytes.as_ptr() as *const _,
            bytes.len(),
            c_name.as_ptr(),
        );
        let mut other = std::ptr::null_mut();
        m.take_diagnostics();
        let failed = LLVMParseBitcodeInContext2(m.context(), buf, &mut other) != 0;
        LLVMDisposeMemoryBuffer(buf);
        let why = describe(&m.take_diagnostics());
        if failed || other.is_null() {
            return Ok(Err(format!(
                "{name}: not LLVM bitcode that LLVM 22 can read ({why}); not linked, so its functions stay external calls"
            )));
        }
        let src = other as mlir_sys::LLVMModuleRef;
        let dispose = || mlir_sys::LLVMDisposeModule(src);
        let mut defined = Vec::new();
        for f in functions(src) {
            if mlir_sys::LLVMIsDeclaration(f) != 0 {
                continue;
            }
            let fname = name_of(f);
            let external = mlir_sys::LLVMGetLinkage(f) as u32 == EXTERNAL;
            if let (true, Some(d)) = (external, named_function(m, &fname)) {
                if mlir_sys::LLVMIsDeclaration(d) == 0 {
                    dispose();
                    return Ok(Err(format!(
                        "{name}: defines '{fname}', which the module already defines; not linked"
                    )));
                }
                let (want, got) = (
                    mlir_sys::LLVMGlobalGetValueType(d),
                    mlir_sys::LLVMGlobalGetValueType(f),
                );
                if want != got {
                    let msg = format!(
                        "{name} defines '{fname}' as `{}` but the node declares it `{}`; fix the @extern declaration or the C function",
                        type_text(got),
                        type_text(want)
                    );
                    dispose();
                    return Err(Error::Usage(msg));
                }
            }
            for attr in TARGET_ATTRIBUTES {
                mlir_sys::LLVMRemoveStringAttributeAtIndex(
                    f,
                    FUNCTION_INDEX,
                    attr.as_ptr() as *const _,
                    attr.len() as u32,
                );
            }
            defined.push(fname);
        }
        // LLVMLinkModules2 takes ownership of `src`.
        if LLVMLinkModules2(m.raw(), other) != 0 {
            return Err(Error::Usage(format!(
                "{name}: LLVM could not link the bitcode: {}",
                describe(&m.take_diagnostics())
            )));
        }
        m.take_diagnostics();
        Ok(Ok(defined))
    }
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

/// Replaces each accessor of `names` (`<native_name>_fault`,
/// `<native_name>_layout`) by the same two instructions as module-level
/// assembly, after optimisation: `lea GLOBAL(%rip), %rax; ret`.
///
/// An accessor is a function of no parameters that returns the address of
/// a module-local global, which is all LLVM would make of it; but every
/// function costs LLVM's code generator its ~130 passes, and on a small
/// node the two accessors were a fifth of code generation (0.7 of 3.9 ms
/// for ema, measured with `scripts/llvm-floor`). The global is listed in
/// `llvm.compiler.used`. A function of any other shape, or one that is
/// still called, is left as it is.
pub fn accessors_to_asm(m: &LlvmModule, names: &[&str]) {
    use mlir_sys::*;
    let module = m.raw() as LLVMModuleRef;
    let mut kept = Vec::new();
    let mut asm = String::new();
    for name in names {
        let c_name = CString::new(*name).expect("no NUL");
        let f = unsafe { LLVMGetNamedFunction(module, c_name.as_ptr()) };
        let Some(global) = (unsafe { returned_global(f) }) else {
            continue;
        };
        let target = name_of(global);
        let plain = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        };
        if !plain(name) || !plain(&target) {
            continue;
        }
        asm += &format!(
            "\t.text\n\t.globl\t{name}\n\t.p2align\t4\n\t.type\t{name},@function\n{name}:\n\
             \tleaq\t{target}(%rip), %rax\n\tretq\n\t.size\t{name}, .-{name}\n"
        );
        unsafe { LLVMDeleteFunction(f) };
        kept.push(global);
    }
    if kept.is_empty() {
        return;
    }
    unsafe {
        // Code generation emits every global whatever uses it; the list
        // keeps them for whoever runs passes on `--emit llvm-ir` output. A
        // module that has one already (linked bitcode's) keeps its own.
        if LLVMGetNamedGlobal(module, c"llvm.compiler.used".as_ptr()).is_null() {
            let ctx = LLVMGetModuleContext(module);
            let ptr = LLVMPointerTypeInContext(ctx, 0);
            let init = LLVMConstArray2(ptr, kept.as_mut_ptr(), kept.len() as u64);
            let used = LLVMAddGlobal(module, LLVMTypeOf(init), c"llvm.compiler.used".as_ptr());
            LLVMSetInitializer(used, init);
            LLVMSetLinkage(used, LLVMLinkage_LLVMAppendingLinkage);
            LLVMSetSection(used, c"llvm.metadata".as_ptr());
        }
        LLVMAppendModuleInlineAsm(module, asm.as_ptr() as *const _, asm.len());
    }
}

/// The module-local global variable that `f` returns, when `f` is a
/// defined, uncalled function of no parameters whose one block is
/// `ret ptr @global`.
unsafe fn returned_global(f: mlir_sys::LLVMValueRef) -> Option<mlir_sys::LLVMValueRef> {
    use mlir_sys::*;
    unsafe {
        if f.is_null()
            || LLVMIsDeclaration(f) != 0
            || LLVMCountParams(f) != 0
            || LLVMCountBasicBlocks(f) != 1
            || !LLVMGetFirstUse(f).is_null()
        {
            return None;
        }
        let ret = LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(f));
        if ret.is_null()
            || LLVMGetInstructionOpcode(ret) != LLVMOpcode_LLVMRet
            || LLVMGetNumOperands(ret) != 1
        {
            return None;
        }
        let g = LLVMGetOperand(ret, 0);
        let local = LLVMGetLinkage(g) == LLVMLinkage_LLVMInternalLinkage;
        (!LLVMIsAGlobalVariable(g).is_null() && local).then_some(g)
    }
}
