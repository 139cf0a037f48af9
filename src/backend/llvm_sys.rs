//! LLVM C API entry points that mlir-sys does not bind. They link from the
//! same static LLVM libraries.
#![allow(non_snake_case, missing_docs)]

use std::ffi::{c_char, c_void};

pub type Ref = *mut c_void;

unsafe extern "C" {
    pub fn LLVMInitializeX86TargetInfo();
    pub fn LLVMInitializeX86Target();
    pub fn LLVMInitializeX86TargetMC();
    pub fn LLVMInitializeX86AsmPrinter();
    /// Module-level inline assembly (the runtime's machine code) needs it.
    pub fn LLVMInitializeX86AsmParser();
    pub fn LLVMGetDefaultTargetTriple() -> *mut c_char;
    pub fn LLVMGetVersion(major: *mut u32, minor: *mut u32, patch: *mut u32);
    pub fn LLVMGetHostCPUName() -> *mut c_char;
    pub fn LLVMGetHostCPUFeatures() -> *mut c_char;
    pub fn LLVMGetTargetFromTriple(
        triple: *const c_char,
        target: *mut Ref,
        err: *mut *mut c_char,
    ) -> i32;
    pub fn LLVMCreateTargetMachine(
        target: Ref,
        triple: *const c_char,
        cpu: *const c_char,
        features: *const c_char,
        level: u32,
        reloc: u32,
        code_model: u32,
    ) -> Ref;
    pub fn LLVMDisposeTargetMachine(tm: Ref);
    pub fn LLVMCreateTargetDataLayout(tm: Ref) -> Ref;
    pub fn LLVMSetModuleDataLayout(m: Ref, dl: Ref);
    pub fn LLVMDisposeTargetData(dl: Ref);
    pub fn LLVMTargetMachineEmitToMemoryBuffer(
        tm: Ref,
        m: Ref,
        codegen: u32,
        err: *mut *mut c_char,
        out: *mut Ref,
    ) -> i32;
    pub fn LLVMGetBufferStart(buf: Ref) -> *const c_char;
    pub fn LLVMGetBufferSize(buf: Ref) -> usize;
    pub fn LLVMDisposeMemoryBuffer(buf: Ref);
    pub fn LLVMCreatePassBuilderOptions() -> Ref;
    pub fn LLVMDisposePassBuilderOptions(o: Ref);
    pub fn LLVMRunPasses(m: Ref, passes: *const c_char, tm: Ref, options: Ref) -> Ref;
    pub fn LLVMGetErrorMessage(err: Ref) -> *mut c_char;
    pub fn LLVMDisposeErrorMessage(msg: *mut c_char);
    pub fn LLVMParseBitcodeInContext2(ctx: Ref, buf: Ref, out: *mut Ref) -> i32;
    /// Reads a module lazily: function bodies are read when used (linked).
    pub fn LLVMGetBitcodeModuleInContext2(ctx: Ref, buf: Ref, out: *mut Ref) -> i32;
    pub fn LLVMLinkModules2(dest: Ref, src: Ref) -> i32;
    pub fn LLVMCreateMemoryBufferWithMemoryRangeCopy(
        data: *const c_char,
        len: usize,
        name: *const c_char,
    ) -> Ref;
    pub fn LLVMVerifyModule(m: Ref, action: u32, out: *mut *mut c_char) -> i32;
    /// `llvm::X86::parseArchX86(StringRef CPU, bool Only64Bit)` (C++; the
    /// `StringRef` is passed by value as its pointer and length): the CPU's
    /// kind, 0 (`CK_None`) for a name LLVM does not know. LLVM's C API has
    /// no way to validate a CPU name, and a target machine for an unknown
    /// one aborts the process in code generation.
    #[link_name = "_ZN4llvm3X8612parseArchX86ENS_9StringRefEb"]
    pub fn parse_arch_x86(cpu: *const c_char, len: usize, only_64_bit: bool) -> u32;
}
