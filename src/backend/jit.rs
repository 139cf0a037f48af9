//! In-process code: an object file → callable functions in this process,
//! through LLVM's ORC LLJIT (the LLVM C API; no file, no linker, no dlopen).
//!
//! ```text
//! object bytes (the .so path's, byte for byte)
//!   ──LLVMOrcLLJITAddObjectFileWithRT──▶ a JITDylib of the pool, under the node's resource tracker
//!   ──LLVMOrcExecutionSessionLookup──▶ RTDyld links it: host-registered symbols, then the process's
//!   ──▶ addresses of the node, its fault accessor and its layout
//!   ──LLVMOrcResourceTrackerRemove, LLVMOrcJITDylibClear (on unload)──▶ code and data freed,
//!                                   the JITDylib empty and back in the pool
//! ```
//!
//! Why these choices:
//! - **Objects, not IR.** The driver hands over the object it would link into
//!   a `.so`: the same module, after the same transforms and `default<On>`
//!   pipeline, so both paths run the same machine code.
//! - **RTDyld, not JITLink.** The RTDyld object layer takes JIT event
//!   listeners through the C API
//!   (`LLVMOrcRTDyldObjectLinkingLayerRegisterJITEventListener`). Its section
//!   memory manager reserves one contiguous range per object, so the code's
//!   32-bit PC-relative references to its own data always reach.
//! - **Debuggers and profilers.** Every object is registered with GDB's JIT
//!   interface (`LLVMCreateGDBRegistrationListener`): gdb (and lldb) see a
//!   node's symbols and, compiled with `-g`, its Python lines. With
//!   `CFUNCC_PERF_MAP=1` each loaded node's functions are appended to
//!   `/tmp/perf-PID.map`, where `perf top` and `perf report` look for the
//!   names of JIT code, and LLVM's perf listener
//!   (`LLVMCreatePerfJITEventListener`) writes its jitdump for `perf inject`
//!   (when this LLVM was built with perf support).
//! - **One JITDylib per loaded node, pooled.** Every node exports the same
//!   kinds of names (`<prefix><key>`, `..._fault`, `..._layout`), and two
//!   nodes compiled from one source have the same key: each node gets a
//!   JITDylib of its own. The C API cannot remove a JITDylib, so an unloaded
//!   node's JITDylib goes back to a pool, emptied (its tracker removed, then
//!   the symbols its imports brought in), and the next node reuses it; the
//!   number of JITDylibs is the most nodes ever loaded at once.
//! - **Resolution.** Each JITDylib has two generators: the symbols the host
//!   registered ([`OrcJit::define_symbol`], defined as absolute symbols),
//!   then the process's own (`dlsym`: libm, libc, libraries loaded
//!   `RTLD_GLOBAL`). LLVM itself links libm, so `exp` or `pow` always
//!   resolve, to the same versioned symbols a `.so` binds to.
//! - **The container runtime's machine-code parts, once per session.** A
//!   node's object leaves its calls into the parts (dict growth, list
//!   growth, sort, slice, free) undefined, as for a `.so`. The first node
//!   that calls a part loads the part's prebuilt object into the session's
//!   runtime JITDylib, where it stays; its entries then resolve like the
//!   host's symbols in every node. Before, each container node carried the
//!   parts as assembly that the code generator assembled again (~2 ms of a
//!   dict node's compile) and kept its own copy of the code.
#![allow(non_snake_case)]

use super::llvm_sys::{
    LLVMCreateMemoryBufferWithMemoryRangeCopy, LLVMDisposeErrorMessage, LLVMGetErrorMessage, Ref,
};
use crate::diagnostics::{Error, Result};
use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::{mpsc, Mutex, MutexGuard};

/// `LLVMJITSymbolFlags`.
#[repr(C)]
#[derive(Clone, Copy)]
struct SymbolFlags {
    generic: u8,
    target: u8,
}

/// `LLVMJITEvaluatedSymbol`.
#[repr(C)]
#[derive(Clone, Copy)]
struct EvaluatedSymbol {
    address: u64,
    flags: SymbolFlags,
}

/// `LLVMOrcCSymbolMapPair`.
#[repr(C)]
struct SymbolMapPair {
    name: Ref,
    sym: EvaluatedSymbol,
}

/// `LLVMOrcCJITDylibSearchOrderElement`.
#[repr(C)]
struct SearchOrderElement {
    jd: Ref,
    flags: u32,
}

/// `LLVMOrcCLookupSetElement`.
#[repr(C)]
struct LookupSetElement {
    name: Ref,
    flags: u32,
}

/// `LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable`.
const EXPORTED_CALLABLE: u8 = 1 | 4;
/// `LLVMOrcJITDylibLookupFlagsMatchAllSymbols`.
const MATCH_ALL_SYMBOLS: u32 = 1;
/// `LLVMOrcLookupKindStatic`.
const LOOKUP_STATIC: u32 = 0;
/// `LLVMOrcSymbolLookupFlagsRequiredSymbol`.
const REQUIRED_SYMBOL: u32 = 0;

type LayerCreator = unsafe extern "C" fn(*mut c_void, Ref, *const c_char) -> Ref;
type ErrorReporter = unsafe extern "C" fn(*mut c_void, Ref);
type LookupHandler = unsafe extern "C" fn(Ref, *mut SymbolMapPair, usize, *mut c_void);
type GeneratorFn = unsafe extern "C" fn(
    Ref,
    *mut c_void,
    *mut Ref,
    u32,
    Ref,
    u32,
    *mut LookupSetElement,
    usize,
) -> Ref;

// LLVM's ORC C API (llvm-c/Orc.h, LLJIT.h, OrcEE.h), from the static LLVM
// libraries mlir-sys links (LLVMOrcJIT, LLVMRuntimeDyld, ...).
unsafe extern "C" {
    fn LLVMOrcCreateLLJITBuilder() -> Ref;
    fn LLVMOrcLLJITBuilderSetObjectLinkingLayerCreator(b: Ref, f: LayerCreator, ctx: *mut c_void);
    fn LLVMOrcCreateLLJIT(out: *mut Ref, builder: Ref) -> Ref;
    fn LLVMOrcDisposeLLJIT(j: Ref) -> Ref;
    fn LLVMOrcLLJITGetExecutionSession(j: Ref) -> Ref;
    fn LLVMOrcLLJITGetGlobalPrefix(j: Ref) -> c_char;
    fn LLVMOrcLLJITMangleAndIntern(j: Ref, name: *const c_char) -> Ref;
    fn LLVMOrcLLJITAddObjectFileWithRT(j: Ref, rt: Ref, buf: Ref) -> Ref;
    fn LLVMOrcLLJITAddObjectFile(j: Ref, jd: Ref, buf: Ref) -> Ref;
    fn LLVMOrcCreateRTDyldObjectLinkingLayerWithSectionMemoryManagerReserveAlloc(
        es: Ref,
        reserve: i32,
    ) -> Ref;
    fn LLVMOrcExecutionSessionSetErrorReporter(es: Ref, f: ErrorReporter, ctx: *mut c_void);
    fn LLVMOrcExecutionSessionCreateBareJITDylib(es: Ref, name: *const c_char) -> Ref;
    fn LLVMOrcExecutionSessionGetSymbolStringPool(es: Ref) -> Ref;
    fn LLVMOrcSymbolStringPoolClearDeadEntries(pool: Ref);
    fn LLVMOrcExecutionSessionLookup(
        es: Ref,
        kind: u32,
        order: *const SearchOrderElement,
        order_len: usize,
        symbols: *mut LookupSetElement,
        symbols_len: usize,
        handler: LookupHandler,
        ctx: *mut c_void,
    );
    fn LLVMOrcRetainSymbolStringPoolEntry(s: Ref);
    fn LLVMOrcSymbolStringPoolEntryStr(s: Ref) -> *const c_char;
    fn LLVMOrcJITDylibCreateResourceTracker(jd: Ref) -> Ref;
    fn LLVMOrcReleaseResourceTracker(rt: Ref);
    fn LLVMOrcResourceTrackerRemove(rt: Ref) -> Ref;
    fn LLVMOrcJITDylibDefine(jd: Ref, mu: Ref) -> Ref;
    fn LLVMOrcJITDylibClear(jd: Ref) -> Ref;
    fn LLVMOrcJITDylibAddGenerator(jd: Ref, generator: Ref);
    fn LLVMOrcCreateCustomCAPIDefinitionGenerator(
        f: GeneratorFn,
        ctx: *mut c_void,
        dispose: Option<unsafe extern "C" fn(*mut c_void)>,
    ) -> Ref;
    fn LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
        out: *mut Ref,
        global_prefix: c_char,
        filter: Option<unsafe extern "C" fn(*mut c_void, Ref) -> i32>,
        filter_ctx: *mut c_void,
    ) -> Ref;
    fn LLVMOrcAbsoluteSymbols(symbols: *mut SymbolMapPair, n: usize) -> Ref;
    fn LLVMOrcDisposeMaterializationUnit(mu: Ref);
    fn LLVMOrcRTDyldObjectLinkingLayerRegisterJITEventListener(layer: Ref, listener: Ref);
    fn LLVMCreateGDBRegistrationListener() -> Ref;
    fn LLVMCreatePerfJITEventListener() -> Ref;
}

/// The message of an `LLVMErrorRef` (consumed); `None` for success.
fn take_error(err: Ref) -> Option<String> {
    if err.is_null() {
        return None;
    }
    unsafe {
        let msg = LLVMGetErrorMessage(err);
        let text = CStr::from_ptr(msg).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(msg);
        Some(text)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves plain data behind.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether `CFUNCC_PERF_MAP=1` asks for perf's map of JIT code.
pub fn perf_map_enabled() -> bool {
    std::env::var("CFUNCC_PERF_MAP").is_ok_and(|v| v == "1")
}

/// The RTDyld object layer (see the module docs), one contiguous
/// allocation per object, with GDB's listener (and, with
/// `CFUNCC_PERF_MAP=1`, perf's).
unsafe extern "C" fn rtdyld_layer(_ctx: *mut c_void, es: Ref, _triple: *const c_char) -> Ref {
    unsafe {
        let layer =
            LLVMOrcCreateRTDyldObjectLinkingLayerWithSectionMemoryManagerReserveAlloc(es, 1);
        // LLVM's listeners are process-wide singletons: registering them
        // with every session's layer allocates nothing per session.
        let gdb = LLVMCreateGDBRegistrationListener();
        if !gdb.is_null() {
            LLVMOrcRTDyldObjectLinkingLayerRegisterJITEventListener(layer, gdb);
        }
        if perf_map_enabled() {
            let perf = LLVMCreatePerfJITEventListener();
            if !perf.is_null() {
                LLVMOrcRTDyldObjectLinkingLayerRegisterJITEventListener(layer, perf);
            }
        }
        layer
    }
}

/// Appends the functions of `object`, loaded with its symbol `anchor` at
/// `address`, to perf's map of this process's JIT code
/// (`/tmp/perf-PID.map`, one `START SIZE NAME` line per function). RTDyld
/// loads a section in one piece, so a function of the anchor's section is
/// at the anchor's address plus its offset from the anchor.
fn write_perf_map(object: &[u8], anchor: &str, address: u64) -> std::io::Result<()> {
    use object::{Object, ObjectSymbol, SymbolKind};
    let file = object::File::parse(object).map_err(std::io::Error::other)?;
    let Some(a) = file.symbols().find(|s| s.name() == Ok(anchor)) else {
        return Ok(());
    };
    let mut lines = String::new();
    for s in file.symbols() {
        if s.kind() == SymbolKind::Text
            && s.size() > 0
            && s.section_index().is_some()
            && s.section_index() == a.section_index()
        {
            let start = address.wrapping_add(s.address()).wrapping_sub(a.address());
            lines += &format!("{start:x} {:x} {}\n", s.size(), s.name().unwrap_or("?"));
        }
    }
    let path = format!("/tmp/perf-{}.map", std::process::id());
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    std::io::Write::write_all(&mut f, lines.as_bytes())
}

/// The execution session's reporter: failures that reach no caller
/// directly (a symbol RTDyld cannot resolve) land here, and the load that
/// failed reports them.
unsafe extern "C" fn report_error(ctx: *mut c_void, err: Ref) {
    let sink = unsafe { &*(ctx as *const Mutex<Vec<String>>) };
    if let Some(msg) = take_error(err) {
        lock(sink).push(msg);
    }
}

/// The host-registered symbols' generator: defines each requested name the
/// host registered as an absolute symbol in the JITDylib asking.
unsafe extern "C" fn host_symbols(
    _generator: Ref,
    ctx: *mut c_void,
    _state: *mut Ref,
    _kind: u32,
    jd: Ref,
    _jd_flags: u32,
    set: *mut LookupSetElement,
    len: usize,
) -> Ref {
    let table = unsafe { &*(ctx as *const Mutex<HashMap<String, u64>>) };
    let table = lock(table);
    if table.is_empty() || set.is_null() {
        return std::ptr::null_mut();
    }
    let wanted = unsafe { std::slice::from_raw_parts(set, len) };
    let mut pairs: Vec<SymbolMapPair> = wanted
        .iter()
        .filter_map(|e| {
            let name = unsafe { CStr::from_ptr(LLVMOrcSymbolStringPoolEntryStr(e.name)) };
            let address = *table.get(name.to_str().ok()?)?;
            // LLVMOrcAbsoluteSymbols takes over one reference to each name.
            unsafe { LLVMOrcRetainSymbolStringPoolEntry(e.name) };
            Some(SymbolMapPair {
                name: e.name,
                sym: EvaluatedSymbol {
                    address,
                    flags: SymbolFlags {
                        generic: EXPORTED_CALLABLE,
                        target: 0,
                    },
                },
            })
        })
        .collect();
    if pairs.is_empty() {
        return std::ptr::null_mut();
    }
    unsafe {
        let mu = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
        let err = LLVMOrcJITDylibDefine(jd, mu);
        if !err.is_null() {
            LLVMOrcDisposeMaterializationUnit(mu);
        }
        err
    }
}

/// Frees what the tracker `rt` holds in `jd` (a node's code and data), then
/// what else `jd` defines (the absolute symbols the generators added for its
/// imports, which could clash with a later node's own definitions), and
/// releases `rt`. LLVM's message on failure.
fn empty(jd: Ref, rt: Ref) -> Option<String> {
    unsafe {
        let removed = take_error(LLVMOrcResourceTrackerRemove(rt));
        LLVMOrcReleaseResourceTracker(rt);
        removed.or_else(|| take_error(LLVMOrcJITDylibClear(jd)))
    }
}

/// What a lookup's handler sends back: the addresses by name, or LLVM's
/// message.
type LookupResult = std::result::Result<HashMap<String, u64>, String>;

unsafe extern "C" fn lookup_done(err: Ref, pairs: *mut SymbolMapPair, n: usize, ctx: *mut c_void) {
    let tx = unsafe { Box::from_raw(ctx as *mut mpsc::Sender<LookupResult>) };
    let result = match take_error(err) {
        Some(msg) => Err(msg),
        None => Ok(if pairs.is_null() {
            HashMap::new()
        } else {
            unsafe { std::slice::from_raw_parts(pairs, n) }
                .iter()
                .map(|p| {
                    let name = unsafe { CStr::from_ptr(LLVMOrcSymbolStringPoolEntryStr(p.name)) };
                    (name.to_string_lossy().into_owned(), p.sym.address)
                })
                .collect()
        }),
    };
    let _ = tx.send(result);
}

/// An LLJIT instance and the JITDylibs of the nodes loaded into it.
///
/// Loading and unloading are serialised (one lock): an RTDyld link of a
/// node's object takes well under a millisecond, and the session's error
/// reporter then belongs to the one load in progress.
pub struct OrcJit {
    lljit: Ref,
    es: Ref,
    global_prefix: c_char,
    /// Messages from the execution session's error reporter.
    errors: Box<Mutex<Vec<String>>>,
    /// `name → address` registered by the host; read by every JITDylib's
    /// first generator.
    symbols: Box<Mutex<HashMap<String, u64>>>,
    state: Mutex<PoolState>,
}

struct PoolState {
    /// The JITDylib of the runtime's machine-code parts, once one was
    /// needed; its code stays for the session.
    runtime: Option<Ref>,
    /// The parts loaded into it.
    parts: Vec<&'static str>,
    /// JITDylibs without a node, ready for the next load.
    free: Vec<Ref>,
    /// JITDylibs made so far (their names are numbered).
    created: usize,
    /// Unloads since the symbol string pool was last swept.
    unloads: usize,
}

// The LLJIT is thread-safe; every mutation of this struct's own state is
// behind its mutexes.
unsafe impl Send for OrcJit {}
unsafe impl Sync for OrcJit {}

/// A node's code in an [`OrcJit`]: its resource tracker and JITDylib. Give
/// it back to [`OrcJit::unload`] to free the code.
pub struct Loaded {
    rt: Ref,
    jd: Ref,
    /// The addresses of the symbols asked for, in the order asked.
    pub addresses: Vec<u64>,
}

unsafe impl Send for Loaded {}
unsafe impl Sync for Loaded {}

/// Sweep the symbol string pool after this many unloads: every node's
/// names are unique to it, and the pool keeps dead entries until swept.
const SWEEP_EVERY: usize = 64;

impl OrcJit {
    /// A new LLJIT for this host, with the RTDyld object layer.
    pub fn new() -> Result<Self> {
        super::init_native_target();
        unsafe {
            let builder = LLVMOrcCreateLLJITBuilder();
            LLVMOrcLLJITBuilderSetObjectLinkingLayerCreator(
                builder,
                rtdyld_layer,
                std::ptr::null_mut(),
            );
            let mut lljit = std::ptr::null_mut();
            // Takes the builder, also on failure.
            if let Some(msg) = take_error(LLVMOrcCreateLLJIT(&mut lljit, builder)) {
                return Err(Error::Internal(format!("cannot create the JIT: {msg}")));
            }
            let es = LLVMOrcLLJITGetExecutionSession(lljit);
            let errors = Box::new(Mutex::new(Vec::new()));
            LLVMOrcExecutionSessionSetErrorReporter(
                es,
                report_error,
                &*errors as *const Mutex<Vec<String>> as *mut c_void,
            );
            Ok(Self {
                lljit,
                es,
                global_prefix: LLVMOrcLLJITGetGlobalPrefix(lljit),
                errors,
                symbols: Box::new(Mutex::new(HashMap::new())),
                state: Mutex::new(PoolState {
                    runtime: None,
                    parts: Vec::new(),
                    free: Vec::new(),
                    created: 0,
                    unloads: 0,
                }),
            })
        }
    }

    /// Makes `name` resolve to `address` in every node loaded afterwards,
    /// before the process's own symbols. Registering a name again replaces
    /// its address for later loads; nodes already loaded keep theirs.
    pub fn define_symbol(&self, name: &str, address: u64) -> Result<()> {
        if name.is_empty() || name.contains('\0') {
            return Err(Error::Usage(format!(
                "cannot define the symbol {name:?}: a symbol name is non-empty and has no NUL"
            )));
        }
        if address == 0 {
            return Err(Error::Usage(format!(
                "cannot define the symbol '{name}' at address 0"
            )));
        }
        if name.starts_with(crate::abi::RUNTIME_PREFIX) {
            return Err(Error::Usage(format!(
                "cannot define the symbol '{name}': names starting with '{}' belong to \
                 cfuncc's container runtime",
                crate::abi::RUNTIME_PREFIX
            )));
        }
        // The pooled JITDylibs are empty: the next node asks the generators,
        // which read the table.
        lock(&self.symbols).insert(name.to_string(), address);
        Ok(())
    }

    /// Whether `name` resolves for a node loaded now: registered by the host
    /// or defined by the process.
    pub fn resolves(&self, name: &str) -> bool {
        if lock(&self.symbols).contains_key(name) {
            return true;
        }
        let this = libloading::os::unix::Library::this();
        unsafe { this.get::<*const c_void>(name.as_bytes()) }.is_ok()
    }

    /// A JITDylib with no definitions: from the pool, else a new one with
    /// the two generators.
    fn dylib(&self, state: &mut PoolState) -> Result<Ref> {
        if let Some(jd) = state.free.pop() {
            return Ok(jd);
        }
        let jd = self.new_dylib(&format!("cfuncc-node-{}", state.created))?;
        state.created += 1;
        Ok(jd)
    }

    /// Loads the runtime's machine-code parts that `object` calls (and the
    /// parts those call) and are not loaded yet, into the session's runtime
    /// JITDylib, and makes their entries resolve in every node loaded from
    /// now on, as the host's symbols do. A node's object leaves its calls
    /// into the parts undefined (`ObjectFor::Link`), so the parts are
    /// linked once per session instead of assembled into every node.
    fn load_parts(&self, state: &mut PoolState, object: &[u8]) -> Result<()> {
        // Bytes that are no object call nothing here; LLVM reports them.
        let new: Vec<&'static super::runtime::Part> = super::runtime::parts_called_by(&[object])
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !state.parts.contains(&p.name))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let jd = match state.runtime {
            Some(jd) => jd,
            None => {
                let jd = self.new_dylib("cfuncc-runtime")?;
                state.runtime = Some(jd);
                jd
            }
        };
        let fail = |msg: String| {
            let mut why = vec![msg];
            why.extend(lock(&self.errors).drain(..));
            Error::Internal(format!(
                "JIT: cannot load the container runtime: {}",
                why.join("; ")
            ))
        };
        for p in &new {
            let name = CString::new(format!("cfuncc runtime part {}", p.name)).expect("no NUL");
            unsafe {
                let buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(
                    p.object.as_ptr() as *const c_char,
                    p.object.len(),
                    name.as_ptr(),
                );
                // Takes the buffer; the code stays for the session.
                if let Some(msg) = take_error(LLVMOrcLLJITAddObjectFile(self.lljit, jd, buf)) {
                    return Err(fail(msg));
                }
            }
            state.parts.push(p.name);
        }
        let entries: Vec<CString> = new
            .iter()
            .flat_map(|p| p.entries.iter())
            .map(|e| CString::new(*e).expect("no NUL"))
            .collect();
        // The entries are hidden: found in their own JITDylib only.
        let addresses = self.lookup(jd, &entries).map_err(fail)?;
        lock(&self.symbols).extend(addresses);
        Ok(())
    }

    /// A new JITDylib named `name`, with the two generators.
    fn new_dylib(&self, name: &str) -> Result<Ref> {
        let name = CString::new(name).expect("no NUL");
        unsafe {
            let jd = LLVMOrcExecutionSessionCreateBareJITDylib(self.es, name.as_ptr());
            if jd.is_null() {
                return Err(Error::Internal("JIT: cannot create a JITDylib".into()));
            }
            let host = LLVMOrcCreateCustomCAPIDefinitionGenerator(
                host_symbols,
                &*self.symbols as *const Mutex<HashMap<String, u64>> as *mut c_void,
                None,
            );
            LLVMOrcJITDylibAddGenerator(jd, host);
            let mut process = std::ptr::null_mut();
            if let Some(msg) = take_error(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
                &mut process,
                self.global_prefix,
                None,
                std::ptr::null_mut(),
            )) {
                return Err(Error::Internal(format!(
                    "JIT: cannot search the process's symbols: {msg}"
                )));
            }
            LLVMOrcJITDylibAddGenerator(jd, process);
            Ok(jd)
        }
    }

    /// Links `object` (an ELF relocatable object for this host) into a
    /// JITDylib of its own and returns the addresses of `symbols`, all of
    /// which it must define. `name` names the object in LLVM's messages.
    ///
    /// A symbol the code needs that neither the host registered nor the
    /// process defines is an error naming it, and nothing stays loaded.
    pub fn load(&self, object: &[u8], name: &str, symbols: &[&str]) -> Result<Loaded> {
        let mut state = lock(&self.state);
        lock(&self.errors).clear();
        self.load_parts(&mut state, object)?;
        let jd = self.dylib(&mut state)?;
        let c_name = CString::new(name).unwrap_or_default();
        let c_symbols = symbols
            .iter()
            .map(|s| {
                CString::new(*s)
                    .map_err(|_| Error::Usage(format!("symbol name {s:?} contains a NUL")))
            })
            .collect::<Result<Vec<_>>>()?;
        unsafe {
            let rt = LLVMOrcJITDylibCreateResourceTracker(jd);
            let buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(
                object.as_ptr() as *const c_char,
                object.len(),
                c_name.as_ptr(),
            );
            // Takes the buffer.
            let added = take_error(LLVMOrcLLJITAddObjectFileWithRT(self.lljit, rt, buf));
            let found = match added {
                Some(msg) => Err(msg),
                None => self.lookup(jd, &c_symbols),
            };
            match found {
                Ok(by_name) => {
                    let addresses: Vec<u64> = symbols
                        .iter()
                        .map(|s| by_name.get(*s).copied().unwrap_or(0))
                        .collect();
                    if perf_map_enabled() {
                        if let (Some(anchor), Some(&at)) = (symbols.first(), addresses.first()) {
                            // A map that cannot be written costs the names only.
                            if let Err(e) = write_perf_map(object, anchor, at) {
                                eprintln!("cfuncc: CFUNCC_PERF_MAP: /tmp/perf-PID.map: {e}");
                            }
                        }
                    }
                    Ok(Loaded { rt, jd, addresses })
                }
                Err(msg) => {
                    let mut why = vec![msg];
                    why.extend(lock(&self.errors).drain(..));
                    why.dedup();
                    // Whatever the failed link left behind goes.
                    match empty(jd, rt) {
                        None => state.free.push(jd),
                        Some(m) => why.push(m),
                    }
                    Err(Error::Usage(format!(
                        "JIT: cannot load {name}: {}",
                        why.join("; ")
                    )))
                }
            }
        }
    }

    /// Looks `symbols` up in `jd` alone, which materialises (links) the
    /// object defining them.
    fn lookup(&self, jd: Ref, symbols: &[CString]) -> LookupResult {
        let order = [SearchOrderElement {
            jd,
            flags: MATCH_ALL_SYMBOLS,
        }];
        // The lookup takes over the interned names' references.
        let mut set: Vec<LookupSetElement> = symbols
            .iter()
            .map(|s| LookupSetElement {
                name: unsafe { LLVMOrcLLJITMangleAndIntern(self.lljit, s.as_ptr()) },
                flags: REQUIRED_SYMBOL,
            })
            .collect();
        let (tx, rx) = mpsc::channel::<LookupResult>();
        let ctx = Box::into_raw(Box::new(tx)) as *mut c_void;
        unsafe {
            LLVMOrcExecutionSessionLookup(
                self.es,
                LOOKUP_STATIC,
                order.as_ptr(),
                order.len(),
                set.as_mut_ptr(),
                set.len(),
                lookup_done,
                ctx,
            )
        };
        // The handler runs once, on this thread (LLJIT links in place) or
        // on one of LLVM's.
        rx.recv()
            .unwrap_or_else(|_| Err("the JIT lookup ended without an answer".into()))
    }

    /// Frees a node's code and data; its JITDylib goes back to the pool.
    pub fn unload(&self, loaded: Loaded) -> Result<()> {
        let mut state = lock(&self.state);
        if let Some(msg) = empty(loaded.jd, loaded.rt) {
            return Err(Error::Internal(format!("JIT: unloading a node: {msg}")));
        }
        state.free.push(loaded.jd);
        state.unloads += 1;
        if state.unloads.is_multiple_of(SWEEP_EVERY) {
            unsafe {
                LLVMOrcSymbolStringPoolClearDeadEntries(LLVMOrcExecutionSessionGetSymbolStringPool(
                    self.es,
                ))
            };
        }
        Ok(())
    }

    /// The number of JITDylibs made so far (nodes loaded at once, at most),
    /// not counting the runtime's.
    pub fn dylibs_created(&self) -> usize {
        lock(&self.state).created
    }

    /// The runtime's machine-code parts loaded so far, in load order.
    pub fn runtime_parts(&self) -> Vec<&'static str> {
        lock(&self.state).parts.clone()
    }
}

impl Drop for OrcJit {
    fn drop(&mut self) {
        // Frees every node's code still loaded; the generators' tables
        // (boxed fields) outlive it.
        unsafe {
            if let Some(msg) = take_error(LLVMOrcDisposeLLJIT(self.lljit)) {
                eprintln!("cfuncc: JIT: disposing the session: {msg}");
            }
        }
    }
}
