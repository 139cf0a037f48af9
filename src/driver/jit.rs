//! The JIT: compile a node into this process and get its function's
//! address, with no file, linker or dlopen.
//!
//! A [`Jit`] session (one LLVM LLJIT) holds any number of nodes. Each
//! [`JitNode`] is the code of one compile, which lives until the handle (and
//! every [`runner::Node`](cfuncc_host::runner::Node) made from it) is dropped; then
//! its memory is freed. The code is the object [`compile_to_object`] makes
//! for the `.so`, so the two paths run the same machine code.
//!
//! ```no_run
//! use cfuncc::{Compiler, Jit, Source};
//! let compiler = Compiler::new().unwrap();
//! let jit = Jit::new().unwrap();
//! let src = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";
//! let node = compiler.compile_to_jit(&Source::new(src, "ema").constant("alpha", 0.5), &jit).unwrap();
//! let f = node.function(); // void f(void**, int8_t*, void**, int8_t, void**, int8_t*, int8_t*)
//! let mut runner = node.runner().unwrap(); // or drive it as a loaded .so
//! runner.start().unwrap();
//! ```
//!
//! [`compile_to_object`]: super::compile_to_object

use super::{compile_object, CompilationOptions, CompilationResult, Constants, Object};
use crate::backend::jit::{Loaded, OrcJit};
use crate::diagnostics::{Error, Result};
use crate::registry::CompilationContext;
use std::ffi::c_void;
use std::sync::Arc;
use std::time::Instant;

/// A JIT session: an LLVM LLJIT that holds many nodes, each in a JITDylib
/// of its own, so nodes with the same function (even the same code) never
/// clash. `Send + Sync`: nodes may be added and dropped from any thread.
#[derive(Clone)]
pub struct Jit {
    orc: Arc<OrcJit>,
}

impl Jit {
    /// A new session for this host.
    pub fn new() -> Result<Self> {
        Ok(Self {
            orc: Arc::new(OrcJit::new()?),
        })
    }

    /// Makes the symbol `name` resolve to `address` in the nodes added
    /// afterwards, ahead of the process's own symbols: the definition of an
    /// `@extern` function the host provides without exporting it.
    /// Registering a name again changes it for later nodes only.
    pub fn define_symbol(&self, name: &str, address: *const c_void) -> Result<()> {
        self.orc.define_symbol(name, address as u64)
    }

    /// Loads an object compiled by [`compile_to_object`](super::compile_to_object)
    /// (in this process or, with the same options, another): its imports
    /// resolve against the symbols registered with
    /// [`define_symbol`](Jit::define_symbol), then the process's.
    pub fn add_object(&self, object: &Object) -> Result<JitNode> {
        self.load(
            &object.bytes,
            object.result.manifest(),
            Some(object.result.clone()),
        )
    }

    /// Loads object bytes described by their manifest: what the compile
    /// cache keeps of a compile ([`compile_to_jit_cached`](super::cache::compile_to_jit_cached)).
    pub fn add_object_with_manifest(
        &self,
        object: &[u8],
        manifest: serde_json::Value,
    ) -> Result<JitNode> {
        self.load(object, manifest, None)
    }

    fn load(
        &self,
        object: &[u8],
        manifest: serde_json::Value,
        result: Option<CompilationResult>,
    ) -> Result<JitNode> {
        let field = |k: &str| manifest[k].as_str().unwrap_or_default().to_string();
        let function = manifest["function"]
            .as_str()
            .or_else(|| manifest["native_name"].as_str())
            .unwrap_or_default()
            .to_string();
        let (native, fault, layout) = (
            field("native_name"),
            field("fault_symbol"),
            field("layout_symbol"),
        );
        if native.is_empty() || fault.is_empty() || layout.is_empty() {
            return Err(Error::Usage(
                "cannot load an object into the JIT without its manifest's native_name,                  fault_symbol and layout_symbol"
                    .into(),
            ));
        }
        // Code for features this machine lacks would die of SIGILL.
        let cpu = manifest["target"]["cpu"].as_str().unwrap_or_default();
        let features = manifest["target"]["features"].as_str().unwrap_or_default();
        let missing = cfuncc_host::runner::missing_cpu_features(cpu, features);
        if !missing.is_empty() {
            return Err(Error::Usage(format!(
                "cannot load {function} into the JIT: it was compiled for CPU '{cpu}' and needs                  {}, which this machine lacks",
                missing.join(", ")
            )));
        }
        let missing: Vec<String> = manifest["externs"]
            .as_array()
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|e| !self.orc.resolves(e["symbol"].as_str().unwrap_or_default()))
            .map(|e| e["c"].as_str().unwrap_or_default().to_string())
            .collect();
        if !missing.is_empty() {
            return Err(Error::Usage(format!(
                "cannot load {function} into the JIT: it calls external C functions that neither \
                 Jit::define_symbol registered nor this process provides: {}; register them, \
                 link their bitcode (--link-bitcode FILE.bc), or load a library defining them \
                 first (cfuncc run --preload LIB.so)",
                missing.join(", ")
            )));
        }
        let loaded = self
            .orc
            .load(object, &native, &[&native, &fault, &layout])?;
        let addresses = loaded.addresses.clone();
        Ok(JitNode {
            code: Arc::new(Code {
                orc: self.orc.clone(),
                loaded: Some(loaded),
            }),
            function: addresses[0],
            fault: addresses[1],
            layout: addresses[2],
            manifest,
            result,
        })
    }

    /// How many JITDylibs the session has made: the most nodes it held at
    /// once, since a dropped node's JITDylib is reused.
    pub fn dylibs_created(&self) -> usize {
        self.orc.dylibs_created()
    }

    /// The container runtime's machine-code parts the session has loaded
    /// (`dict`, `list`, `free`, `sort`, `slice`), each once, for every node
    /// that calls it; they stay until the session is dropped.
    pub fn runtime_parts(&self) -> Vec<&'static str> {
        self.orc.runtime_parts()
    }
}

/// A node's code in a [`Jit`]; unloaded when the last handle to it goes.
struct Code {
    orc: Arc<OrcJit>,
    loaded: Option<Loaded>,
}

impl Drop for Code {
    fn drop(&mut self) {
        if let Some(l) = self.loaded.take() {
            if let Err(e) = self.orc.unload(l) {
                eprintln!("cfuncc: {e}");
            }
        }
    }
}

/// The fault record's accessor, `int32_t *<native_name>_fault(void)`.
pub type FaultFn = unsafe extern "C" fn() -> *mut i32;

/// A compiled node in a [`Jit`]: its function's address, its fault record,
/// its manifest. Cloning shares the code; the code is freed when the last
/// clone (and the last [`runner::Node`](cfuncc_host::runner::Node) made from one)
/// is dropped.
#[derive(Clone)]
pub struct JitNode {
    code: Arc<Code>,
    function: u64,
    fault: u64,
    layout: u64,
    manifest: serde_json::Value,
    /// The compile's result; `None` for a node loaded from the cache.
    result: Option<CompilationResult>,
}

impl JitNode {
    /// The node function, `void f(void** outputs, int8_t* output_ticked,
    /// void** state, int8_t phase, ...)` with the manifest's ABI; valid while
    /// this handle lives.
    pub fn function(&self) -> *const c_void {
        self.function as *const c_void
    }

    /// The accessor of the node's global fault record (the record of a
    /// fault when the state array has no fault cell): three `int32_t`,
    /// code, line, column.
    pub fn fault_fn(&self) -> FaultFn {
        // Safety: the address is the `_fault` accessor of the object.
        unsafe { std::mem::transmute::<u64, FaultFn>(self.fault) }
    }

    /// The global fault record now: `(code, line, col)`, code 0 for none.
    pub fn fault_record(&self) -> (i32, i32, i32) {
        let r = unsafe { std::slice::from_raw_parts((self.fault_fn())(), 3) };
        (r[0], r[1], r[2])
    }

    /// The compilation's result (signature, key, options, timings); `None`
    /// for a node loaded from the compile cache, which keeps its manifest.
    pub fn result(&self) -> Option<&CompilationResult> {
        self.result.as_ref()
    }

    /// The exported name (as in the `.so`); nodes of one session may share it.
    pub fn native_name(&self) -> &str {
        self.manifest["native_name"].as_str().unwrap_or_default()
    }

    /// The manifest, as the `.so` path writes it.
    pub fn manifest(&self) -> &serde_json::Value {
        &self.manifest
    }

    /// A runner over this node, driven exactly as a loaded `.so`; it keeps
    /// the code alive on its own.
    pub fn runner(&self) -> Result<cfuncc_host::runner::Node> {
        let symbols = cfuncc_host::runner::Symbols {
            node: self.function(),
            fault: Some(self.fault as *const c_void),
            layout: Some(self.layout as *const c_void),
        };
        // Safety: the addresses are this object's node, fault accessor and
        // layout, and the runner keeps the code they point into.
        Ok(unsafe {
            cfuncc_host::runner::Node::from_symbols(
                symbols,
                &self.manifest,
                Box::new(self.code.clone()),
            )
        }?)
    }
}

/// Compiles `function` in `source` into the session `jit` (the arguments of
/// [`compile_to_so`](super::compile_to_so), with the session for the path).
/// The object is the `.so` path's; `timings.link` is the JIT's link and
/// lookup.
pub fn compile_to_jit(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    args: &Constants,
    options: &CompilationOptions,
    jit: &Jit,
) -> Result<JitNode> {
    let obj = compile_object(ctx, source, function, args, options, super::ObjectFor::Link)?;
    let t = Instant::now();
    let manifest = obj.result.manifest();
    let mut node = jit.load(&obj.bytes, manifest, Some(obj.result))?;
    if let Some(r) = node.result.as_mut() {
        r.timings.link = t.elapsed();
    }
    Ok(node)
}
