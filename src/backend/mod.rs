//! LLVM dialect → LLVM IR → object → shared object.
//!
//! ```text
//! llvm-dialect module ──translate──▶ LLVM IR
//!   ──transform.rs: export name, internalize, force_inline, bitcode linking
//!   ──LLVMRunPasses("default<On>")──▶ optimised IR
//!   ──TargetMachine──▶ object bytes ──link.rs: elf/ (in process) or ld -shared──▶ .so
//!                                   └──jit.rs: ORC LLJIT──▶ functions in this process
//! ```

pub mod elf;
pub mod jit;
pub mod link;
mod llvm_sys;
pub mod runtime;
pub mod split;
pub mod transform;

use crate::diagnostics::{Error, Result};
use crate::dialect::ir::Operation;
use llvm_sys::*;
use std::cell::RefCell;
use std::ffi::{c_char, c_void, CStr, CString};
use std::rc::Rc;
use std::sync::Once;

/// An LLVM context owning one translated module.
pub struct LlvmModule {
    ctx: Ref,
    module: Ref,
    /// What LLVM reported through the context's diagnostic handler. Without
    /// a handler LLVM prints diagnostics and exits the process on an error
    /// (a bitcode file it cannot read, a failed link).
    diagnostics: Box<RefCell<Vec<Diagnostic>>>,
}

/// An LLVM value's name (empty when it has none).
pub(crate) fn name_of(v: mlir_sys::LLVMValueRef) -> String {
    let mut len = 0usize;
    unsafe {
        let p = mlir_sys::LLVMGetValueName2(v, &mut len);
        if p.is_null() {
            return String::new();
        }
        String::from_utf8_lossy(std::slice::from_raw_parts(p as *const u8, len)).into_owned()
    }
}

/// Every function of an LLVM module, declarations included.
pub(crate) fn functions(module: mlir_sys::LLVMModuleRef) -> Vec<mlir_sys::LLVMValueRef> {
    let mut out = Vec::new();
    unsafe {
        let mut f = mlir_sys::LLVMGetFirstFunction(module);
        while !f.is_null() {
            out.push(f);
            f = mlir_sys::LLVMGetNextFunction(f);
        }
    }
    out
}

/// A diagnostic LLVM reported while working on a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether it is an error (else a warning, remark or note).
    pub error: bool,
    /// LLVM's description.
    pub message: String,
}

unsafe extern "C" fn collect_diagnostic(info: mlir_sys::LLVMDiagnosticInfoRef, sink: *mut c_void) {
    let sink = unsafe { &*(sink as *const RefCell<Vec<Diagnostic>>) };
    let message = take_message(unsafe { mlir_sys::LLVMGetDiagInfoDescription(info) });
    let severity = unsafe { mlir_sys::LLVMGetDiagInfoSeverity(info) };
    if let Ok(mut v) = sink.try_borrow_mut() {
        v.push(Diagnostic {
            error: severity == mlir_sys::LLVMDiagnosticSeverity_LLVMDSError,
            message,
        });
    }
}

impl Drop for LlvmModule {
    fn drop(&mut self) {
        unsafe {
            mlir_sys::LLVMDisposeModule(self.module as _);
            mlir_sys::LLVMContextDispose(self.ctx as _);
        }
    }
}

fn take_message(p: *mut c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    let s = unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    unsafe { mlir_sys::LLVMDisposeMessage(p) };
    s
}

impl LlvmModule {
    /// Translates an llvm-dialect module.
    pub fn translate(module: Operation<'_>) -> Result<Self> {
        unsafe {
            let ctx = mlir_sys::LLVMContextCreate();
            let m = mlir_sys::mlirTranslateModuleToLLVMIR(module.raw(), ctx);
            if m.is_null() {
                mlir_sys::LLVMContextDispose(ctx);
                return Err(Error::Internal("translation to LLVM IR failed".into()));
            }
            let diagnostics = Box::new(RefCell::new(Vec::new()));
            mlir_sys::LLVMContextSetDiagnosticHandler(
                ctx,
                Some(collect_diagnostic),
                &*diagnostics as *const RefCell<Vec<Diagnostic>> as *mut c_void,
            );
            Ok(Self {
                ctx: ctx as Ref,
                module: m as Ref,
                diagnostics,
            })
        }
    }

    /// The raw module.
    pub fn raw(&self) -> Ref {
        self.module
    }

    /// The raw context.
    pub fn context(&self) -> Ref {
        self.ctx
    }

    /// Takes the diagnostics LLVM reported since the last call.
    pub fn take_diagnostics(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.diagnostics.borrow_mut())
    }

    /// The module as LLVM IR text.
    pub fn to_ir(&self) -> String {
        take_message(unsafe { mlir_sys::LLVMPrintModuleToString(self.module as _) })
    }

    /// Checks the module with LLVM's verifier.
    pub fn verify(&self) -> Result<()> {
        let mut msg = std::ptr::null_mut();
        let broken = unsafe { LLVMVerifyModule(self.module, 2, &mut msg) };
        let text = take_message(msg);
        if broken != 0 {
            return Err(Error::Internal(format!("invalid LLVM IR: {text}")));
        }
        Ok(())
    }
}

/// A target machine for the host triple.
pub struct Target {
    tm: Ref,
    /// The CPU name code is generated for.
    pub cpu: String,
    /// The CPU features enabled beyond the CPU's own (the host's, when
    /// generating for the host; empty for a named CPU).
    pub features: String,
}

// The target machine is only used from the thread that owns the Target.
unsafe impl Send for Target {}

impl Drop for Target {
    fn drop(&mut self) {
        unsafe { LLVMDisposeTargetMachine(self.tm) }
    }
}

static INIT: Once = Once::new();

/// The version of the LLVM this binary links, `22.1.8`.
pub fn llvm_version() -> String {
    let (mut major, mut minor, mut patch) = (0u32, 0u32, 0u32);
    // Safety: writes three integers.
    unsafe { LLVMGetVersion(&mut major, &mut minor, &mut patch) };
    format!("{major}.{minor}.{patch}")
}

/// Registers the host's LLVM target (x86-64) once per process: target
/// machines and the JIT need it.
pub(crate) fn init_native_target() {
    INIT.call_once(|| unsafe {
        LLVMInitializeX86TargetInfo();
        LLVMInitializeX86Target();
        LLVMInitializeX86TargetMC();
        LLVMInitializeX86AsmPrinter();
        LLVMInitializeX86AsmParser();
    });
}

/// LLVM's optimisation level: the `default<ON>` pipeline and the code
/// generator's level. Displays as its number (`2`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OptLevel {
    /// No optimisation: every phase function stays a call.
    O0,
    /// Quick optimisations.
    O1,
    /// The default: what `clang -O2` runs.
    #[default]
    O2,
    /// `-O2` plus more aggressive inlining and vectorisation.
    O3,
}

impl OptLevel {
    /// Every level, lowest first.
    pub const ALL: [OptLevel; 4] = [OptLevel::O0, OptLevel::O1, OptLevel::O2, OptLevel::O3];

    /// The level's number, 0–3.
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    /// The level numbered `n`, if `n` is 0–3.
    pub fn from_u8(n: u8) -> Option<Self> {
        Self::ALL.get(n as usize).copied()
    }
}

impl std::fmt::Display for OptLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.as_u8())
    }
}

impl std::str::FromStr for OptLevel {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let t = s.trim().trim_start_matches(['O', 'o']);
        t.parse::<u8>()
            .ok()
            .and_then(Self::from_u8)
            .ok_or_else(|| format!("opt level '{s}' is not one of 0, 1, 2, 3"))
    }
}

thread_local! {
    // Target machines by (CPU, opt level), per thread: a target machine does
    // not depend on the module, and reusing one also reuses the subtarget it
    // caches, whose construction is ~15% of a small compile. A target
    // machine is used only on the thread that made it.
    static TARGETS: RefCell<Vec<((Option<String>, OptLevel), Rc<Target>)>> =
        const { RefCell::new(Vec::new()) };
}

impl Target {
    /// The target machine for `cpu` (`None`: the host's) at `opt_level`,
    /// created on this thread's first use and then reused.
    pub fn cached(cpu: Option<&str>, opt_level: OptLevel) -> Result<Rc<Target>> {
        let key = (cpu.map(str::to_string), opt_level);
        if let Some(t) = TARGETS.with(|t| {
            t.borrow()
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, t)| t.clone())
        }) {
            return Ok(t);
        }
        let t = Rc::new(Target::new(cpu, opt_level)?);
        TARGETS.with(|ts| ts.borrow_mut().push((key, t.clone())));
        Ok(t)
    }

    /// A target machine for `cpu` (`None` or `native`: the host CPU, with
    /// its features) at `opt_level`. An unknown CPU name is an error.
    pub fn new(cpu: Option<&str>, opt_level: OptLevel) -> Result<Self> {
        init_native_target();
        unsafe {
            let triple = LLVMGetDefaultTargetTriple();
            let mut target = std::ptr::null_mut();
            let mut err = std::ptr::null_mut();
            if LLVMGetTargetFromTriple(triple, &mut target, &mut err) != 0 {
                let msg = take_message(err);
                mlir_sys::LLVMDisposeMessage(triple);
                return Err(Error::Internal(format!(
                    "no LLVM target for this host: {msg}"
                )));
            }
            let (cpu_name, features) = match cpu {
                Some(c) if c != "native" => {
                    if parse_arch_x86(c.as_ptr() as *const c_char, c.len(), true) == 0 {
                        mlir_sys::LLVMDisposeMessage(triple);
                        return Err(Error::Usage(format!(
                            "unknown target CPU '{c}': use an x86-64 CPU name LLVM knows, such as \
                             x86-64, x86-64-v2, x86-64-v3, haswell, skylake-avx512, znver3, or native"
                        )));
                    }
                    (c.to_string(), String::new())
                }
                _ => (
                    take_message(LLVMGetHostCPUName()),
                    take_message(LLVMGetHostCPUFeatures()),
                ),
            };
            let c_cpu =
                CString::new(cpu_name.clone()).map_err(|_| Error::Usage("bad CPU name".into()))?;
            let c_feat = CString::new(features).unwrap_or_default();
            // Reloc PIC = 2, code model default = 0.
            let level = opt_level.as_u8() as u32;
            let tm = LLVMCreateTargetMachine(
                target,
                triple,
                c_cpu.as_ptr(),
                c_feat.as_ptr(),
                level,
                2,
                0,
            );
            mlir_sys::LLVMDisposeMessage(triple);
            if tm.is_null() {
                return Err(Error::Internal(format!(
                    "cannot create a target machine for CPU '{cpu_name}'"
                )));
            }
            Ok(Self {
                tm,
                cpu: cpu_name,
                features: c_feat.to_string_lossy().into_owned(),
            })
        }
    }

    /// Sets the module's triple and data layout for this target.
    pub fn prepare(&self, m: &LlvmModule) {
        unsafe {
            let triple = LLVMGetDefaultTargetTriple();
            mlir_sys::LLVMSetTarget(m.module as _, triple);
            mlir_sys::LLVMDisposeMessage(triple);
            let dl = LLVMCreateTargetDataLayout(self.tm);
            LLVMSetModuleDataLayout(m.module, dl);
            LLVMDisposeTargetData(dl);
        }
    }

    /// Runs the new pass manager's `default<On>` pipeline.
    pub fn optimize(&self, m: &LlvmModule, opt_level: OptLevel) -> Result<()> {
        let passes = CString::new(format!("default<O{opt_level}>")).expect("no NUL");
        unsafe {
            let opts = LLVMCreatePassBuilderOptions();
            let err = LLVMRunPasses(m.module, passes.as_ptr(), self.tm, opts);
            LLVMDisposePassBuilderOptions(opts);
            if !err.is_null() {
                let msg = LLVMGetErrorMessage(err);
                let text = CStr::from_ptr(msg).to_string_lossy().into_owned();
                LLVMDisposeErrorMessage(msg);
                return Err(Error::Internal(format!("LLVM optimisation failed: {text}")));
            }
        }
        Ok(())
    }

    /// Emits an object file's bytes.
    pub fn emit_object(&self, m: &LlvmModule) -> Result<Vec<u8>> {
        self.emit(m.module, 1)
    }

    /// Emits assembly text for the module, from a copy of it: code
    /// generation changes the module it runs on (`CFUNCC_DUMP_DIR`).
    pub fn emit_assembly(&self, m: &LlvmModule) -> Result<String> {
        unsafe {
            let copy = mlir_sys::LLVMCloneModule(m.module as _);
            let text = self.emit(copy as Ref, 0);
            mlir_sys::LLVMDisposeModule(copy);
            Ok(String::from_utf8_lossy(&text?).into_owned())
        }
    }

    /// Runs code generation: `kind` 0 = assembly, 1 = object.
    fn emit(&self, module: Ref, kind: u32) -> Result<Vec<u8>> {
        unsafe {
            let mut err = std::ptr::null_mut();
            let mut buf = std::ptr::null_mut();
            if LLVMTargetMachineEmitToMemoryBuffer(self.tm, module, kind, &mut err, &mut buf) != 0 {
                return Err(Error::Internal(format!(
                    "code generation failed: {}",
                    take_message(err)
                )));
            }
            let bytes = std::slice::from_raw_parts(
                LLVMGetBufferStart(buf) as *const u8,
                LLVMGetBufferSize(buf),
            )
            .to_vec();
            LLVMDisposeMemoryBuffer(buf);
            Ok(bytes)
        }
    }
}
