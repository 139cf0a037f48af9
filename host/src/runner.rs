//! Loads a compiled node (a `.so` with [`Node::load`], or code already in
//! the process, such as a JIT's, with [`Node::from_symbols`]) and drives
//! START / EXECUTE / STOP through the ABI.
//!
//! Used by `cfuncc run` and the tests. The runner owns every cell the ABI
//! points at: 8-byte cells for inputs, outputs and scalar state, and a
//! buffer of the struct's size (from the manifest's `structs`) for struct
//! inputs, outputs and state.

use crate::abi::FaultCode;
use crate::manifest::{Layout, Manifest, StateKind, StructEntry, Target};
use crate::types::{
    FieldLayout as StructField, SlotType as Ty, Storage, StructLayout as StructDef,
};
use crate::{Error, Result};
use serde_json::Value as Json;
use std::path::Path;

/// A typed value crossing the ABI.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// int64 (also datetime and timedelta nanoseconds).
    Int(i64),
    /// double.
    Float(f64),
    /// bool.
    Bool(bool),
    /// A struct's field values, in declaration order.
    Struct(Vec<Value>),
}

impl Value {
    fn to_cell(&self) -> u64 {
        match self {
            Value::Int(i) => *i as u64,
            Value::Float(f) => f.to_bits(),
            Value::Bool(b) => *b as u64,
            Value::Struct(_) => 0,
        }
    }

    fn from_cell(cell: u64, ty: &Ty) -> Self {
        match ty {
            Ty::Int => Value::Int(cell as i64),
            Ty::Float => Value::Float(f64::from_bits(cell)),
            Ty::Bool => Value::Bool(cell as u8 != 0),
            Ty::Struct(_) => Value::Struct(Vec::new()),
        }
    }

    /// Writes a struct value's fields into its buffer, each as its
    /// [`Storage`] lays it out (an int keeps its low
    /// N bits, a float32 field rounds to nearest even), as the compiled
    /// node writes them. `buf` holds the struct's size.
    pub fn to_buffer(&self, def: &StructDef, buf: &mut [u8]) {
        let Value::Struct(fields) = self else { return };
        for (f, v) in def.fields.iter().zip(fields) {
            f.storage.store(v.to_cell(), &mut buf[f.offset..]);
        }
    }

    /// A struct value read from its buffer, each field as the compiled
    /// node reads it (widened to int64 or double; a `uint64` of 2^63 or
    /// more wraps).
    pub fn from_buffer(def: &StructDef, buf: &[u8]) -> Self {
        Value::Struct(
            def.fields
                .iter()
                .map(|f| Value::from_cell(f.storage.load(&buf[f.offset..]), &f.ty))
                .collect(),
        )
    }

    /// The value as JSON (a struct as an array of its field values; see
    /// [`Value::to_json_typed`] for objects by field name).
    pub fn to_json(&self) -> Json {
        match self {
            Value::Int(i) => (*i).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| Json::String(f.to_string()), Json::Number),
            Value::Bool(b) => (*b).into(),
            Value::Struct(fs) => fs.iter().map(Value::to_json).collect(),
        }
    }

    /// A value of type `ty` as JSON, structs as `{"field": value}`.
    pub fn to_json_typed(&self, ty: &Ty) -> Json {
        match (self, ty) {
            (Value::Struct(fs), Ty::Struct(def)) => Json::Object(
                def.fields
                    .iter()
                    .zip(fs)
                    .map(|(f, v)| (f.name.clone(), v.to_json_typed(&f.ty)))
                    .collect(),
            ),
            (v, _) => v.to_json(),
        }
    }

    /// Reads a JSON value as type `ty` (ints are accepted for floats).
    pub fn from_json(v: &Json, ty: &Ty) -> Result<Self> {
        let bad = || Error::Usage(format!("expected a {ty} value, got {v}"));
        Ok(match ty {
            Ty::Int => Value::Int(v.as_i64().ok_or_else(bad)?),
            Ty::Float => Value::Float(match v {
                Json::String(s) => s.parse::<f64>().map_err(|_| bad())?,
                _ => v.as_f64().ok_or_else(bad)?,
            }),
            Ty::Bool => Value::Bool(
                v.as_bool()
                    .or_else(|| v.as_i64().map(|i| i != 0))
                    .ok_or_else(bad)?,
            ),
            // A scalar type: its payload.
            // {"field": value, ...}, every field given.
            Ty::Struct(def) => {
                let obj = v.as_object().ok_or_else(bad)?;
                if let Some(k) = obj.keys().find(|k| def.field(k).is_none()) {
                    return Err(Error::Usage(format!("{} has no field '{k}'", def.name)));
                }
                Value::Struct(
                    def.fields
                        .iter()
                        .map(|f| {
                            let x = obj.get(&f.name).ok_or_else(|| {
                                Error::Usage(format!(
                                    "{} value {v} misses field '{}'",
                                    def.name, f.name
                                ))
                            })?;
                            match x.as_u64() {
                                // A uint64 field also takes 2^63 ... 2^64-1,
                                // as ctypes' c_uint64 does: the same 64
                                // bits, which the node reads back wrapped.
                                Some(u)
                                    if f.storage == Storage::UInt64 && matches!(f.ty, Ty::Int) =>
                                {
                                    Ok(Value::Int(u as i64))
                                }
                                _ => Value::from_json(x, &f.ty),
                            }
                        })
                        .collect::<Result<_>>()?,
                )
            }
        })
    }
}

/// A runtime fault reported by a tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// The fault code (see `FaultCode`).
    pub code: i32,
    /// The code's message.
    pub message: String,
    /// Python source line.
    pub line: i32,
    /// Python source column.
    pub col: i32,
}

impl Fault {
    /// The fault as `{"error": {...}}`.
    pub fn to_json(&self) -> Json {
        serde_json::json!({"error": {"code": self.code, "message": self.message, "line": self.line, "col": self.col}})
    }
}

/// The exported node function's address; called through [`call_node`]
/// with the prefix and one pointer per parameter after it.
type NodeSym = unsafe extern "C" fn();

type Ptr = *mut std::ffi::c_void;

/// Calls the node: the built-in prefix, then `rest` (every parameter after
/// the prefix is a pointer; `Node::load` checks the manifest says so).
///
/// # Safety
/// `f` must be the node function of a manifest whose ABI is the prefix
/// followed by `rest.len()` pointer parameters.
unsafe fn call_node(f: NodeSym, outs: Ptr, ticked: Ptr, state: Ptr, phase: i8, rest: &[Ptr]) {
    macro_rules! call {
        ($($i:literal),*) => {{
            let g: unsafe extern "C" fn(Ptr, Ptr, Ptr, i8 $(, call!(@ty $i))*) = std::mem::transmute(f);
            g(outs, ticked, state, phase $(, rest[$i])*)
        }};
        (@ty $i:literal) => { Ptr };
    }
    unsafe {
        match rest.len() {
            0 => call!(),
            1 => call!(0),
            2 => call!(0, 1),
            3 => call!(0, 1, 2),
            4 => call!(0, 1, 2, 3),
            5 => call!(0, 1, 2, 3, 4),
            6 => call!(0, 1, 2, 3, 4, 5),
            7 => call!(0, 1, 2, 3, 4, 5, 6),
            8 => call!(0, 1, 2, 3, 4, 5, 6, 7),
            n => unreachable!("Node::load accepts at most 8 parameters after the prefix, not {n}"),
        }
    }
}

/// The most ABI parameters after the prefix the runner can pass.
const MAX_EXTRA_PARAMS: usize = 8;

/// What the runner passes for one ABI parameter after the prefix.
#[derive(Clone, Copy, Debug)]
enum Arg {
    /// Category `c`'s value pointers.
    Values(usize),
    /// Category `c`'s ticked flags.
    Ticked(usize),
    /// Category `c`'s valid flags.
    Valid(usize),
    /// A parameter the runner does not know: NULL.
    Null,
}
type FaultFn = unsafe extern "C" fn() -> *mut i32;

/// A loaded node with its cells.
pub struct Node {
    func: NodeSym,
    fault: Option<FaultFn>,
    /// The state slot of the instance's fault cell (manifest `fault_slot`).
    fault_slot: Option<usize>,
    input_types: Vec<Ty>,
    output_types: Vec<Ty>,
    output_names: Vec<String>,
    named_outputs: bool,
    inputs: Box<[u64]>,
    outputs: Box<[u64]>,
    state: Box<[u64]>,
    input_ptrs: Vec<*mut u64>,
    output_ptrs: Vec<*mut u64>,
    state_ptrs: Vec<*mut u64>,
    output_ticked: Vec<i8>,
    /// Per input: its category and its index there.
    input_slots: Vec<(usize, usize)>,
    /// Per category: value pointers, ticked and valid flags.
    cat_values: Vec<Vec<*mut u64>>,
    cat_ticked: Vec<Vec<i8>>,
    cat_valid: Vec<Vec<i8>>,
    /// The parameters after the prefix.
    args: Vec<Arg>,
    /// Struct and array buffers (8-byte aligned), each behind one ABI
    /// pointer.
    buffers: Vec<Box<[u64]>>,
    /// What keeps the code alive: the loaded library, or the owner given to
    /// [`Node::from_symbols`] (a JIT node's handle).
    _code: Box<dyn std::any::Any>,
}

/// The addresses of a node's functions in this process, for
/// [`Node::from_symbols`]: code that is already loaded, by a JIT say.
#[derive(Clone, Copy, Debug)]
pub struct Symbols {
    /// The node function (`native_name`), with the manifest's ABI.
    pub node: *const std::ffi::c_void,
    /// `int32_t *<native_name>_fault(void)`, the global fault record, if
    /// the code has one.
    pub fault: Option<*const std::ffi::c_void>,
    /// `const char *<native_name>_layout(void)`, the code's own description
    /// of its slots, if it has one: the manifest is checked against it.
    pub layout: Option<*const std::ffi::c_void>,
}

/// The largest array state a runner allocates: 2^24 int64 elements, the
/// compiler's own limit (`cfuncc::types::ArrayTy::MAX_LEN`).
const MAX_ARRAY_BYTES: usize = 8 << 24;

fn buffer(def: &StructDef) -> Box<[u64]> {
    vec![0u64; def.size.div_ceil(8).max(1)].into_boxed_slice()
}

fn parse_ty(s: &str, manifest: &Manifest) -> Result<Ty> {
    match s {
        "int" => Ok(Ty::Int),
        "float" => Ok(Ty::Float),
        "bool" => Ok(Ty::Bool),
        // int64 nanoseconds (the ABI contract), also for manifests that
        // do not list them under `scalar_types`.
        "datetime" | "timedelta" => Ok(Ty::Int),
        other => match (
            manifest.structs.get(other),
            manifest.scalar_types.get(other),
        ) {
            (Some(layout), _) => struct_from_manifest(other, layout, manifest),
            // A user-defined scalar type: read and written as its repr.
            (_, Some(repr)) if ["int", "float", "bool"].contains(&repr.as_str()) => {
                parse_ty(repr, manifest)
            }
            _ => Err(Error::Usage(format!(
                "the runner does not handle type '{other}'"
            ))),
        },
    }
}

/// A struct layout from the manifest's `structs` section.
fn struct_from_manifest(name: &str, layout: &StructEntry, manifest: &Manifest) -> Result<Ty> {
    let bad = || Error::Usage(format!("manifest: bad layout for struct '{name}'"));
    let fields = layout
        .fields
        .iter()
        .map(|f| {
            let ty = parse_ty(&f.ty, manifest)?;
            // `storage` (schema 1.2) gives the field's width; a manifest
            // without it has every field at its type's default.
            let storage = match &f.storage {
                None => Storage::default_for(&ty).ok_or_else(bad)?,
                Some(s) => Storage::from_name(s)
                    .filter(|s| s.value_type() == ty)
                    .ok_or_else(bad)?,
            };
            if ty.as_struct().is_some()
                || f.offset
                    .checked_add(storage.size())
                    .is_none_or(|end| end > layout.size)
            {
                return Err(bad());
            }
            Ok(StructField {
                name: f.name.clone(),
                ty,
                offset: f.offset,
                storage,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Ty::Struct(std::sync::Arc::new(StructDef {
        name: name.to_string(),
        size: layout.size,
        fields,
    })))
}

/// Whether this machine has the x86 feature LLVM calls `name`; `None` for
/// a name the check does not know (LLVM's feature strings hold internal
/// tuning flags too).
fn host_has(name: &str) -> Option<bool> {
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! detect {
            ($($llvm:literal => $std:tt),* $(,)?) => {
                match name {
                    $($llvm => Some(std::arch::is_x86_feature_detected!($std)),)*
                    _ => None,
                }
            };
        }
        detect! {
            "sse3" => "sse3", "ssse3" => "ssse3", "sse4.1" => "sse4.1", "sse4.2" => "sse4.2",
            "sse4a" => "sse4a", "popcnt" => "popcnt", "cx16" => "cmpxchg16b", "avx" => "avx",
            "avx2" => "avx2", "bmi" => "bmi1", "bmi2" => "bmi2", "f16c" => "f16c", "fma" => "fma",
            "lzcnt" => "lzcnt", "movbe" => "movbe", "xsave" => "xsave", "xsaveopt" => "xsaveopt",
            "xsavec" => "xsavec", "xsaves" => "xsaves", "aes" => "aes", "pclmul" => "pclmulqdq",
            "rdrnd" => "rdrand", "rdseed" => "rdseed", "adx" => "adx", "sha" => "sha",
            "gfni" => "gfni", "vaes" => "vaes", "vpclmulqdq" => "vpclmulqdq", "tbm" => "tbm",
            "avx512f" => "avx512f", "avx512bw" => "avx512bw", "avx512cd" => "avx512cd",
            "avx512dq" => "avx512dq", "avx512vl" => "avx512vl", "avx512vbmi" => "avx512vbmi",
            "avx512vbmi2" => "avx512vbmi2", "avx512vnni" => "avx512vnni",
            "avx512bitalg" => "avx512bitalg", "avx512vpopcntdq" => "avx512vpopcntdq",
            "avx512ifma" => "avx512ifma", "avx512bf16" => "avx512bf16",
            "avx512fp16" => "avx512fp16", "avxvnni" => "avxvnni",
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = name;
        None
    }
}

/// The features a `.so` built for `cpu` with `features` (an LLVM feature
/// string, `+avx2,-avx512f,...`) needs that this machine lacks. The
/// x86-64 psABI levels are known by name; another named CPU with no
/// feature string cannot be checked (use an x86-64-vN level for artefacts
/// that travel).
pub fn missing_cpu_features(cpu: &str, features: &str) -> Vec<String> {
    const V2: &[&str] = &["cx16", "popcnt", "sse3", "sse4.1", "sse4.2", "ssse3"];
    const V3: &[&str] = &[
        "avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave",
    ];
    const V4: &[&str] = &["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"];
    let level: Vec<&str> = match cpu {
        "x86-64-v2" => V2.to_vec(),
        "x86-64-v3" => [V2, V3].concat(),
        "x86-64-v4" => [V2, V3, V4].concat(),
        _ => Vec::new(),
    };
    let needed = features
        .split(',')
        .filter_map(|f| f.strip_prefix('+'))
        .chain(level);
    let mut missing: Vec<String> = needed
        .filter(|f| host_has(f) == Some(false))
        .map(str::to_string)
        .collect();
    missing.sort();
    missing.dedup();
    missing
}

type LayoutFn = unsafe extern "C" fn() -> *const std::ffi::c_char;

/// Checks the manifest against the `.so`'s own description of its slots
/// (`<native_name>_layout`, manifest::layout) before the node is called:
/// a manifest that lists fewer or other slots than the code uses would make
/// the runner pass too few cells. A `.so` built before the description
/// existed has no such symbol and is taken as the manifest describes it.
fn check_layout(
    layout: Option<LayoutFn>,
    manifest: &Manifest,
    inputs: &[Ty],
    outputs: &[Ty],
) -> Result<()> {
    let name = &manifest.native_name;
    let own = match layout {
        // Safety: the symbol returns a pointer to a NUL-terminated static
        // string.
        Some(f) => Some(Layout::from_text(
            &unsafe { std::ffi::CStr::from_ptr(f()) }.to_string_lossy(),
            &format!("{name}_layout"),
        )?),
        None => None,
    };
    // Before the first call: code built for features this machine lacks
    // would die of SIGILL. The .so's own word first, the manifest's else.
    let target = own.as_ref().map_or(&manifest.target, |o| &o.target);
    if let Some(Target {
        cpu: Some(cpu),
        features: Some(features),
        ..
    }) = target
    {
        let missing = missing_cpu_features(cpu, features);
        if !missing.is_empty() {
            return Err(Error::Usage(format!(
                "{name} was built for CPU '{cpu}' and needs {}, which this machine lacks; \
                 rebuild it here, or with --target-cpu x86-64-v3 (or another level every \
                 machine it travels to has)",
                missing.join(", ")
            )));
        }
    }
    let Some(own) = own else {
        return Ok(());
    };
    if own.layout != 1 {
        return Err(Error::Usage(format!(
            "{name}_layout: layout version {} is not one this runner reads (1)",
            own.layout
        )));
    }
    let slot = |ty: &Ty| match ty.as_struct() {
        Some(d) => format!("struct:{}", d.size),
        None => ty.python_name().to_string(),
    };
    let described = Layout {
        layout: 1,
        semantic_key: manifest.semantic_key.clone(),
        inputs: inputs.iter().map(slot).collect(),
        outputs: outputs.iter().map(slot).collect(),
        state: manifest
            .state
            .iter()
            .map(|s| match s.kind {
                StateKind::Struct => {
                    format!("struct:{}", s.size.map_or("null".into(), |n| n.to_string()))
                }
                StateKind::Scalar => "scalar".into(),
                StateKind::Container => "container".into(),
                StateKind::Array => {
                    format!("array:{}", s.size.map_or("null".into(), |n| n.to_string()))
                }
            })
            .collect(),
        fault_slot: manifest.fault_slot,
        target: manifest.target.clone(),
        categories: manifest.categories.clone(),
    };
    if described != own {
        // Both as JSON, to name the fields that differ.
        let (d, o) = (
            serde_json::to_value(&described).expect("a layout is JSON"),
            serde_json::to_value(&own).expect("a layout is JSON"),
        );
        let short = |v: &Json| {
            let t = v.to_string();
            match t.char_indices().nth(120) {
                Some((i, _)) => format!("{}...", &t[..i]),
                None => t,
            }
        };
        let differ: Vec<String> = [
            "semantic_key",
            "inputs",
            "outputs",
            "state",
            "fault_slot",
            "target",
            "categories",
        ]
        .into_iter()
        .filter(|k| d[k] != o[k])
        .map(|k| {
            format!(
                "{k}: the .so has {}, the manifest {}",
                short(&o[k]),
                short(&d[k])
            )
        })
        .collect();
        return Err(Error::Usage(format!(
            "the manifest does not describe this .so ({}); use the manifest written beside the .so",
            differ.join("; ")
        )));
    }
    Ok(())
}

/// A shared library loaded with `RTLD_GLOBAL`, whose symbols nodes loaded
/// afterwards can bind to: the definitions of a node's `@extern` functions.
/// Keep it alive as long as those nodes.
pub struct Preloaded(#[allow(dead_code)] libloading::Library);

/// Loads `lib` (`RTLD_NOW | RTLD_GLOBAL`) so that its symbols are visible to
/// nodes loaded later (`cfuncc run --preload`).
pub fn preload(lib: &Path) -> Result<Preloaded> {
    use libloading::os::unix::{Library, RTLD_GLOBAL, RTLD_NOW};
    let lib = &std::path::absolute(lib).unwrap_or_else(|_| lib.to_path_buf());
    let l = unsafe { Library::open(Some(lib), RTLD_NOW | RTLD_GLOBAL) }
        .map_err(|e| Error::Usage(format!("cannot load {}: {e}", lib.display())))?;
    Ok(Preloaded(l.into()))
}

/// The manifest's externs (the C functions the `.so` imports) that this
/// process does not provide, as C prototypes.
fn missing_externs(manifest: &Manifest) -> Vec<String> {
    let this = libloading::os::unix::Library::this();
    manifest
        .externs
        .iter()
        .filter(|e| unsafe { this.get::<*const ()>(e.symbol.as_bytes()) }.is_err())
        .map(|e| e.c.clone())
        .collect()
}

impl Node {
    /// Loads `so` described by `manifest` (read as [`Manifest::from_json`]).
    ///
    /// Every symbol is bound at load time (`RTLD_NOW`): an `@extern` function
    /// that neither the process nor linked bitcode provides is an error here,
    /// naming it, rather than a crash at its first call.
    pub fn load(so: &Path, manifest: &Json) -> Result<Self> {
        let manifest = &Manifest::from_json(manifest)?;
        // dlopen searches the library path for a bare name; make it a path.
        let so = &std::path::absolute(so).unwrap_or_else(|_| so.to_path_buf());
        let missing = missing_externs(manifest);
        if !missing.is_empty() {
            return Err(Error::Usage(format!(
                "cannot load {}: it calls external C functions that this process does not provide: {}; \
                 compile with --link-bitcode FILE.bc holding their definitions, or load a library \
                 that defines them first (cfuncc run --preload LIB.so)",
                so.display(),
                missing.join(", ")
            )));
        }
        let lib = unsafe {
            libloading::os::unix::Library::open(
                Some(so),
                libloading::os::unix::RTLD_NOW | libloading::os::unix::RTLD_LOCAL,
            )
        }
        .map(libloading::Library::from)
        .map_err(|e| Error::Usage(format!("cannot load {}: {e}", so.display())))?;
        let name = &manifest.native_name;
        let func: NodeSym = unsafe {
            *lib.get::<NodeSym>(name.as_bytes())
                .map_err(|e| Error::Usage(format!("{name}: {e}")))?
        };
        let fault = manifest
            .fault_symbol
            .as_ref()
            .and_then(|f| unsafe { lib.get::<FaultFn>(f.as_bytes()).ok().map(|s| *s) });
        let layout = unsafe {
            lib.get::<LayoutFn>(format!("{name}_layout").as_bytes())
                .ok()
                .map(|s| *s)
        };
        Self::from_parts(func, fault, layout, manifest, Box::new(lib))
    }

    /// A node whose code is already in this process (a JIT's, say): the
    /// same checks and the same driving as [`Node::load`], without dlopen.
    /// `keep_alive` is kept as long as the node and should own the code.
    ///
    /// # Safety
    /// `symbols.node` must be a function with the ABI `manifest` describes,
    /// `symbols.fault` and `symbols.layout` (when given) the functions of
    /// [`Symbols`], and all of them must stay valid while `keep_alive` lives.
    pub unsafe fn from_symbols(
        symbols: Symbols,
        manifest: &Json,
        keep_alive: Box<dyn std::any::Any>,
    ) -> Result<Self> {
        let manifest = &Manifest::from_json(manifest)?;
        if symbols.node.is_null() {
            return Err(Error::Usage(
                "Node::from_symbols: the node address is NULL".into(),
            ));
        }
        // Safety: the caller vouches for the addresses' types.
        let (func, fault, layout) = unsafe {
            (
                std::mem::transmute::<*const std::ffi::c_void, NodeSym>(symbols.node),
                symbols
                    .fault
                    .filter(|p| !p.is_null())
                    .map(|p| std::mem::transmute::<*const std::ffi::c_void, FaultFn>(p)),
                symbols
                    .layout
                    .filter(|p| !p.is_null())
                    .map(|p| std::mem::transmute::<*const std::ffi::c_void, LayoutFn>(p)),
            )
        };
        Self::from_parts(func, fault, layout, manifest, keep_alive)
    }

    fn from_parts(
        func: NodeSym,
        fault: Option<FaultFn>,
        layout: Option<LayoutFn>,
        manifest: &Manifest,
        code: Box<dyn std::any::Any>,
    ) -> Result<Self> {
        let input_types = manifest
            .inputs
            .iter()
            .map(|i| parse_ty(&i.ty, manifest))
            .collect::<Result<Vec<_>>>()?;
        let output_types = manifest
            .outputs
            .iter()
            .map(|o| parse_ty(&o.ty, manifest))
            .collect::<Result<Vec<_>>>()?;
        let state = &manifest.state;
        check_layout(layout, manifest, &input_types, &output_types)?;
        let fault_slot = match manifest.fault_slot {
            None => None,
            Some(i) if state.get(i as usize).map(|s| s.kind) == Some(StateKind::Scalar) => {
                Some(i as usize)
            }
            Some(i) => {
                return Err(Error::Usage(format!(
                    "manifest: fault_slot {i} is not one of its scalar state slots"
                )))
            }
        };
        let (n_inputs, n_outputs) = (input_types.len(), output_types.len());
        let mut node = Node {
            func,
            fault,
            fault_slot,
            input_types,
            output_types,
            output_names: manifest.outputs.iter().map(|o| o.name.clone()).collect(),
            named_outputs: manifest.named_outputs(),
            inputs: vec![0u64; n_inputs].into_boxed_slice(),
            outputs: vec![0u64; n_outputs].into_boxed_slice(),
            state: vec![0u64; state.len()].into_boxed_slice(),
            input_ptrs: Vec::new(),
            output_ptrs: Vec::new(),
            state_ptrs: Vec::new(),
            output_ticked: vec![0; n_outputs],
            input_slots: Vec::new(),
            cat_values: Vec::new(),
            cat_ticked: Vec::new(),
            cat_valid: Vec::new(),
            args: Vec::new(),
            buffers: Vec::new(),
            _code: code,
        };
        node.input_ptrs = node.inputs.iter_mut().map(|c| c as *mut u64).collect();
        node.output_ptrs = node.outputs.iter_mut().map(|c| c as *mut u64).collect();
        // A struct input or output points at a buffer of the struct's size.
        for (ptrs, tys) in [
            (&mut node.input_ptrs, &node.input_types),
            (&mut node.output_ptrs, &node.output_types),
        ] {
            for (p, t) in ptrs.iter_mut().zip(tys) {
                if let Some(def) = t.as_struct() {
                    let mut b = buffer(&def);
                    *p = b.as_mut_ptr();
                    node.buffers.push(b);
                }
            }
        }
        node.lay_out_categories(manifest)?;
        // A container slot is NULL before START (design.md §2); a scalar
        // slot points to its cell.
        node.state_ptrs = node
            .state
            .iter_mut()
            .zip(state)
            .map(|(c, s)| {
                if s.kind == StateKind::Container {
                    std::ptr::null_mut()
                } else {
                    c as *mut u64
                }
            })
            .collect();
        // Struct state: host memory of the struct's size (design.md §2).
        for (i, s) in state.iter().enumerate() {
            if s.kind == StateKind::Struct {
                let Ty::Struct(def) = parse_ty(&s.ty, manifest)? else {
                    return Err(Error::Usage(format!(
                        "manifest: state '{}' is not a struct",
                        s.name
                    )));
                };
                let mut b = buffer(&def);
                node.state_ptrs[i] = b.as_mut_ptr();
                node.buffers.push(b);
            }
            // Array state: host memory of its byte size, zeroed (START
            // zero-fills it too).
            if s.kind == StateKind::Array {
                let size = s.size.filter(|n| *n > 0).ok_or_else(|| {
                    Error::Usage(format!("manifest: array state '{}' has no size", s.name))
                })?;
                let size = usize::try_from(size)
                    .ok()
                    .filter(|n| *n <= MAX_ARRAY_BYTES)
                    .ok_or_else(|| {
                        Error::Usage(format!(
                            "manifest: array state '{}' of {size} bytes is larger than a runner allocates ({MAX_ARRAY_BYTES})",
                            s.name
                        ))
                    })?;
                let mut b = vec![0u64; size.div_ceil(8)].into_boxed_slice();
                node.state_ptrs[i] = b.as_mut_ptr();
                node.buffers.push(b);
            }
        }
        Ok(node)
    }

    /// Sorts inputs into their source categories' arrays and decides what
    /// each ABI parameter after the prefix receives. A manifest without
    /// `categories` has the signal category only.
    fn lay_out_categories(&mut self, manifest: &Manifest) -> Result<()> {
        let cats = manifest.categories();
        let mut counts = vec![0usize; cats.len()];
        for (i, input) in manifest.inputs.iter().enumerate() {
            let c = cats
                .iter()
                .position(|cat| cat.id == input.category)
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "manifest: input {i} is in unknown source category '{}'",
                        input.category
                    ))
                })?;
            self.input_slots.push((c, counts[c]));
            counts[c] += 1;
        }
        for (c, n) in counts.iter().enumerate() {
            let ptrs = self
                .input_slots
                .iter()
                .zip(&self.input_ptrs)
                .filter(|((cc, _), _)| *cc == c)
                .map(|(_, p)| *p)
                .collect();
            self.cat_values.push(ptrs);
            self.cat_ticked.push(vec![1; *n]);
            self.cat_valid.push(vec![1; *n]);
        }
        for (c, cat) in cats.iter().enumerate() {
            for p in &cat.params {
                if p.ty != "ptr" {
                    return Err(Error::Usage(format!(
                        "the runner passes pointer parameters only; '{}' of category '{}' is \"{}\"",
                        p.name, cat.id, p.ty
                    )));
                }
                let role = |r: &Option<String>| r.as_deref() == Some(p.name.as_str());
                self.args.push(if role(&cat.values) {
                    Arg::Values(c)
                } else if role(&cat.ticked) {
                    Arg::Ticked(c)
                } else if role(&cat.valid) {
                    Arg::Valid(c)
                } else {
                    Arg::Null
                });
            }
        }
        if self.args.len() > MAX_EXTRA_PARAMS {
            return Err(Error::Usage(format!(
                "the runner passes at most {MAX_EXTRA_PARAMS} parameters after the prefix; this node has {}",
                self.args.len()
            )));
        }
        Ok(())
    }

    /// Whether outputs are reported by name.
    pub fn named_outputs(&self) -> bool {
        self.named_outputs
    }

    /// Output names.
    pub fn output_names(&self) -> &[String] {
        &self.output_names
    }

    /// Output types.
    pub fn output_types(&self) -> &[Ty] {
        &self.output_types
    }

    /// Input types.
    pub fn input_types(&self) -> &[Ty] {
        &self.input_types
    }

    fn call(&mut self, phase: i8) -> std::result::Result<(), Fault> {
        match self.fault_slot {
            Some(slot) => self.state[slot] = 0,
            None => {
                if let Some(f) = self.fault {
                    unsafe { *f() = 0 };
                }
            }
        }
        // On the stack: a replay calls this once per tick.
        let mut rest: [Ptr; MAX_EXTRA_PARAMS] = [std::ptr::null_mut(); MAX_EXTRA_PARAMS];
        for (r, a) in rest.iter_mut().zip(&self.args) {
            *r = match *a {
                Arg::Values(c) => self.cat_values[c].as_mut_ptr() as Ptr,
                Arg::Ticked(c) => self.cat_ticked[c].as_mut_ptr() as Ptr,
                Arg::Valid(c) => self.cat_valid[c].as_mut_ptr() as Ptr,
                Arg::Null => std::ptr::null_mut(),
            };
        }
        let rest = &rest[..self.args.len()];
        // Safety: `lay_out_categories` checked that every parameter after
        // the prefix is a pointer, and built one argument per parameter.
        unsafe {
            call_node(
                self.func,
                self.output_ptrs.as_mut_ptr() as Ptr,
                self.output_ticked.as_mut_ptr() as Ptr,
                self.state_ptrs.as_mut_ptr() as Ptr,
                phase,
                rest,
            )
        };
        // The instance's own fault cell; the `.so`'s global record for a
        // manifest written before it.
        let record = match self.fault_slot {
            Some(slot) => Some(crate::abi::unpack_fault(self.state[slot])),
            None => self.fault.map(|f| {
                let r = unsafe { std::slice::from_raw_parts(f(), 3) };
                (r[0], r[1], r[2])
            }),
        };
        match record {
            Some((code, line, col)) if code != 0 => Err(Fault {
                code,
                message: FaultCode::from_i32(code)
                    .map_or("unknown fault", |c| c.message())
                    .to_string(),
                line,
                col,
            }),
            _ => Ok(()),
        }
    }

    /// Runs START.
    pub fn start(&mut self) -> std::result::Result<(), Fault> {
        self.call(1)
    }

    /// Runs STOP.
    pub fn stop(&mut self) -> std::result::Result<(), Fault> {
        self.call(2)
    }

    /// Runs one EXECUTE tick; `None` marks an output that did not tick.
    pub fn execute(
        &mut self,
        inputs: &[Value],
        ticked: &[bool],
        valid: &[bool],
    ) -> std::result::Result<Vec<Option<Value>>, Fault> {
        for (i, v) in inputs.iter().enumerate().take(self.inputs.len()) {
            match &self.input_types[i] {
                Ty::Struct(def) => {
                    let buf = unsafe {
                        std::slice::from_raw_parts_mut(self.input_ptrs[i] as *mut u8, def.size)
                    };
                    v.to_buffer(&def, buf);
                }
                _ => self.inputs[i] = v.to_cell(),
            }
        }
        for (i, &(c, k)) in self.input_slots.iter().enumerate() {
            self.cat_ticked[c][k] = ticked.get(i).copied().unwrap_or(true) as i8;
            self.cat_valid[c][k] = valid.get(i).copied().unwrap_or(true) as i8;
        }
        self.output_ticked.iter_mut().for_each(|t| *t = 0);
        self.call(0)?;
        Ok((0..self.outputs.len())
            .map(|i| {
                (self.output_ticked[i] != 0).then(|| match &self.output_types[i] {
                    Ty::Struct(def) => {
                        let buf = unsafe {
                            std::slice::from_raw_parts(self.output_ptrs[i] as *const u8, def.size)
                        };
                        Value::from_buffer(&def, buf)
                    }
                    t => Value::from_cell(self.outputs[i], t),
                })
            })
            .collect())
    }

    /// Whether every input and output is a scalar (one 8-byte cell), as
    /// [`Node::execute_cells`] needs.
    pub fn cells_only(&self) -> bool {
        !self
            .input_types
            .iter()
            .chain(&self.output_types)
            .any(|t| matches!(t, Ty::Struct(_)))
    }

    /// One EXECUTE tick on raw cells, for replaying long series without a
    /// [`Value`] per tick: `inputs[i]` is input `i`'s cell (int64, double
    /// bits, or 0/1), `ticked`/`valid` its flags; each output's cell and
    /// ticked flag are written to `outputs`/`out_ticked` (an output that
    /// did not tick keeps its previous cell). Needs
    /// [`Node::cells_only`].
    pub fn execute_cells(
        &mut self,
        inputs: &[u64],
        ticked: &[bool],
        valid: &[bool],
        outputs: &mut [u64],
        out_ticked: &mut [bool],
    ) -> std::result::Result<(), Fault> {
        debug_assert!(self.cells_only());
        let n = self.inputs.len().min(inputs.len());
        self.inputs[..n].copy_from_slice(&inputs[..n]);
        for (i, &(c, k)) in self.input_slots.iter().enumerate() {
            self.cat_ticked[c][k] = ticked.get(i).copied().unwrap_or(true) as i8;
            self.cat_valid[c][k] = valid.get(i).copied().unwrap_or(true) as i8;
        }
        self.output_ticked.iter_mut().for_each(|t| *t = 0);
        self.call(0)?;
        for i in 0..self.outputs.len().min(outputs.len()) {
            let t = self.output_ticked[i] != 0;
            out_ticked[i] = t;
            if t {
                outputs[i] = self.outputs[i];
            }
        }
        Ok(())
    }

    /// Calls the node with a raw phase value.
    pub fn raw_phase(&mut self, phase: i8) -> std::result::Result<(), Fault> {
        self.call(phase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A packed layout with one field of every storage, each at an odd
    /// offset (so none is aligned), after a 1-byte pad.
    fn packed() -> StructDef {
        let mut offset = 1;
        let fields = Storage::ALL
            .iter()
            .map(|&s| {
                let f = StructField {
                    name: s.name().to_string(),
                    ty: s.value_type(),
                    offset,
                    storage: s,
                };
                offset += s.size();
                f
            })
            .collect();
        StructDef {
            name: "Packed".into(),
            size: offset,
            fields,
        }
    }

    /// Every width through to_buffer and from_buffer: the bytes the host
    /// writes are the C layout (little-endian, the low N bits of an int,
    /// float32 rounded to nearest even, a bool as 0/1), and they read back
    /// widened as the compiled node reads them.
    #[test]
    fn struct_buffers_store_and_load_every_width() {
        let def = packed();
        let value = Value::Struct(vec![
            Value::Int(-129),           // int8: low 8 bits 0x7f = 127
            Value::Int(40_000),         // int16: 0x9c40 = -25536
            Value::Int(-(1 << 31) - 1), // int32: wraps to 2^31 - 1
            Value::Int(i64::MIN + 5),   // int64: as is
            Value::Int(300),            // uint8: 44
            Value::Int(-1),             // uint16: 65535
            Value::Int((1 << 32) + 7),  // uint32: 7
            Value::Int(-2),             // uint64: 2^64 - 2, reads back -2
            Value::Float(0.1),          // float32: 0.1f32, widened
            Value::Float(-2.5e-300),    // float64: exact
            Value::Bool(true),          // bool: one byte 1
        ]);
        let mut buf = vec![0xaau8; def.size];
        value.to_buffer(&def, &mut buf);
        let at = |name: &str| {
            let f = def.field(name).unwrap();
            &buf[f.offset..f.offset + f.storage.size()]
        };
        assert_eq!(buf[0], 0xaa, "the pad before the first field is untouched");
        assert_eq!(at("int8"), &[0x7f]);
        assert_eq!(at("int16"), &40_000u16.to_le_bytes());
        assert_eq!(at("int32"), &i32::MAX.to_le_bytes());
        assert_eq!(at("int64"), &(i64::MIN + 5).to_le_bytes());
        assert_eq!(at("uint8"), &[44]);
        assert_eq!(at("uint16"), &[0xff, 0xff]);
        assert_eq!(at("uint32"), &7u32.to_le_bytes());
        assert_eq!(at("uint64"), &(u64::MAX - 1).to_le_bytes());
        assert_eq!(at("float32"), &0.1f32.to_le_bytes());
        assert_eq!(at("float64"), &(-2.5e-300f64).to_le_bytes());
        assert_eq!(at("bool"), &[1]);
        assert_eq!(
            Value::from_buffer(&def, &buf),
            Value::Struct(vec![
                Value::Int(127),
                Value::Int(-25_536),
                Value::Int(i32::MAX as i64),
                Value::Int(i64::MIN + 5),
                Value::Int(44),
                Value::Int(65_535),
                Value::Int(7),
                Value::Int(-2),
                Value::Float(0.1f32 as f64),
                Value::Float(-2.5e-300),
                Value::Bool(true),
            ])
        );
    }

    /// Reads sign-extend signed storages, zero-extend unsigned ones, and a
    /// uint64 of 2^63 or more wraps; float32 ties round to even and an
    /// out-of-range double becomes infinity; any nonzero bool byte is true.
    #[test]
    fn struct_field_edges_of_each_width() {
        for s in Storage::ALL.into_iter().filter(|s| s.is_int()) {
            let n = s.size();
            let mut bytes = [0u8; 8];
            bytes[n - 1] = 0x80; // the top bit of the field
            let got = s.load(&bytes) as i64;
            let want = if s.is_signed() || n == 8 {
                i64::MIN >> (64 - 8 * n)
            } else {
                1i64 << (8 * n - 1)
            };
            assert_eq!(got, want, "{s}");
        }
        let mut b = [0u8; 4];
        // 1 + 2^-24 is halfway between 1.0 and the next float32: to even.
        Storage::Float32.store((1.0f64 + 2f64.powi(-24)).to_bits(), &mut b);
        assert_eq!(f32::from_le_bytes(b), 1.0);
        Storage::Float32.store((1.0f64 + 3.0 * 2f64.powi(-24)).to_bits(), &mut b);
        assert_eq!(f32::from_le_bytes(b), 1.0 + 2f32.powi(-22));
        Storage::Float32.store(1e300f64.to_bits(), &mut b);
        assert_eq!(f32::from_le_bytes(b), f32::INFINITY);
        assert_eq!(Storage::Bool.load(&[2]), 1);
        let mut one = [7u8];
        Storage::Bool.store(0, &mut one);
        assert_eq!(one, [0]);
    }

    /// A tick line's uint64 field takes 0 ... 2^64 - 1, as ctypes'
    /// c_uint64 does, and keeps the 64 bits (read back wrapped); every
    /// other int field, and a uint64 beyond 2^64 - 1, takes int64 values only.
    #[test]
    fn json_uint64_fields_take_the_full_range() {
        let def = std::sync::Arc::new(packed());
        let mut obj = serde_json::Map::new();
        for f in &def.fields {
            obj.insert(f.name.clone(), Json::from(0));
        }
        let ty = Ty::Struct(def.clone());
        let read = |field: &str, v: Json| {
            let mut o = obj.clone();
            o.insert(field.into(), v);
            Value::from_json(&Json::Object(o), &ty).map(|v| match v {
                Value::Struct(fs) => {
                    fs[def.fields.iter().position(|f| f.name == field).unwrap()].clone()
                }
                _ => unreachable!(),
            })
        };
        assert_eq!(
            read("uint64", Json::from(u64::MAX)).unwrap(),
            Value::Int(-1)
        );
        assert_eq!(
            read("uint64", Json::from(1u64 << 63)).unwrap(),
            Value::Int(i64::MIN)
        );
        assert_eq!(read("uint64", Json::from(-5)).unwrap(), Value::Int(-5));
        assert!(read("uint64", serde_json::json!(18446744073709551616.0)).is_err());
        assert!(read("int64", Json::from(1u64 << 63)).is_err());
        assert!(read("uint32", Json::from(u64::MAX)).is_err());
    }

    /// A manifest's field `storage` is read (and checked against the
    /// field's type and the struct's size); without it a field has its
    /// type's default width, as manifests before schema 1.2 mean.
    #[test]
    fn manifest_field_storage() {
        let manifest = serde_json::json!({"native_name": "n", "inputs": [], "outputs": [], "structs": {
            "Q": {"size": 11, "fields": [
                {"name": "a", "type": "int", "offset": 0, "storage": "uint16"},
                {"name": "b", "type": "float", "offset": 2, "storage": "float32"},
                {"name": "c", "type": "int", "offset": 3}]},
            "Wrong": {"size": 8, "fields": [
                {"name": "a", "type": "int", "offset": 0, "storage": "float32"}]},
            "Outside": {"size": 8, "fields": [
                {"name": "a", "type": "int", "offset": 5, "storage": "int32"}]},
        }});
        let manifest = Manifest::from_json(&manifest).unwrap();
        let Ty::Struct(q) = parse_ty("Q", &manifest).unwrap() else {
            panic!("not a struct")
        };
        let storages: Vec<Storage> = q.fields.iter().map(|f| f.storage).collect();
        assert_eq!(
            storages,
            [Storage::UInt16, Storage::Float32, Storage::Int64]
        );
        assert!(parse_ty("Wrong", &manifest).is_err());
        assert!(parse_ty("Outside", &manifest).is_err());
    }

    /// Tick lines carry floats as decimal text: every double must come back
    /// bit for bit (serde_json's `float_roundtrip`; its default parser is
    /// off by an ulp on inputs like this one).
    #[test]
    fn json_floats_round_trip_exactly() {
        for x in [
            0.41000000000000003_f64,
            0.1 + 0.2,
            1e-310,
            f64::MAX,
            -2.2250738585072014e-308,
            5e-324,
        ] {
            let text = serde_json::to_string(&x).unwrap();
            let v = Value::from_json(&serde_json::from_str(&text).unwrap(), &Ty::Float).unwrap();
            assert_eq!(v.to_cell(), x.to_bits(), "{text}");
        }
    }
}
