//! `cfuncc._native`: the compiler and the runner behind the `cfuncc`
//! Python package (`python/cfuncc/__init__.py` is the API users see).
//!
//! Compiles release the GIL; so does [`Instance::replay`], which runs a
//! whole series in native code. Every error becomes a Python exception:
//! located source errors are `cfuncc.CompileError` (with `file`, `line`,
//! `col`, `message` and `diagnostics`), bad arguments `ValueError`,
//! toolchain failures `RuntimeError`, and a node's fault
//! `cfuncc.NodeFault` (with `code`, `message`, `line`, `col`).

use cfuncc::driver::cache::{self, Cache};
use cfuncc::{
    CompilationContext, CompilationOptions, Constants, Error, Jit, JitNode, OptLevel, Stage,
};
use cfuncc_host::runner::{Fault, Node, Value};
use cfuncc_host::types::{SlotType, Storage};
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyException, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pyo3::create_exception!(
    _native,
    CompileError,
    PyException,
    "A located error in a node's Python source."
);
pyo3::create_exception!(
    _native,
    NodeFault,
    PyException,
    "A defined fault raised by a node's tick."
);

/// What `compile` needs, kept so that `ir(stage)` can compile again.
#[derive(Clone)]
struct Request {
    source: String,
    function: String,
    constants: Vec<(String, String)>,
    types: Option<String>,
    options: CompilationOptions,
}

impl Request {
    fn context(&self) -> Result<(CompilationContext, Constants), Error> {
        let mut ctx = CompilationContext::with_defaults()?;
        if let Some(t) = &self.types {
            let json: serde_json::Value = serde_json::from_str(t)
                .map_err(|e| Error::Usage(format!("types: not JSON: {e}")))?;
            ctx.load_types(&json, "types")?;
        }
        let mut consts = Constants::new();
        for (name, text) in &self.constants {
            let v = cfuncc::frontend::literal::parse_const(&ctx, text)
                .map_err(|e| Error::Usage(format!("constant '{name}': {e}")))?;
            consts.insert(name.clone(), v);
        }
        Ok((ctx, consts))
    }
}

fn to_py(py: Python<'_>, e: Error) -> PyErr {
    match e {
        Error::Compile(_) | Error::Diagnostics(_) => {
            let rendered = e.to_string();
            let diags = e.diagnostics().to_vec();
            let err = CompileError::new_err(rendered);
            let v = err.value(py);
            let list = PyList::empty(py);
            for d in &diags {
                let item = PyDict::new(py);
                let _ = item.set_item("file", &d.file);
                let _ = item.set_item("line", d.pos.line);
                let _ = item.set_item("col", d.pos.col);
                let _ = item.set_item("message", &d.message);
                let _ = item.set_item("rendered", d.to_string());
                let _ = list.append(item);
            }
            if let Some(first) = diags.first() {
                let _ = v.setattr("file", &first.file);
                let _ = v.setattr("line", first.pos.line);
                let _ = v.setattr("col", first.pos.col);
                let _ = v.setattr("message", &first.message);
            }
            let _ = v.setattr("diagnostics", list);
            err
        }
        Error::Usage(m) => PyValueError::new_err(m),
        Error::Internal(m) => PyRuntimeError::new_err(m),
    }
}

fn fault_err(py: Python<'_>, f: Fault, tick: Option<usize>) -> PyErr {
    let where_ = tick.map_or(String::new(), |t| format!(" at tick {t}"));
    let err = NodeFault::new_err(format!(
        "fault {}{where_}: {} (line {}, col {})",
        f.code, f.message, f.line, f.col
    ));
    let v = err.value(py);
    let _ = v.setattr("code", f.code);
    let _ = v.setattr("message", f.message);
    let _ = v.setattr("line", f.line);
    let _ = v.setattr("col", f.col);
    let _ = v.setattr("tick", tick);
    err
}

/// A fresh directory for a compile's dump of its stages, removed when it drops.
fn work_dir_for_dump() -> Result<tempfile::TempDir, Error> {
    tempfile::Builder::new()
        .prefix("cfuncc-py-dump-")
        .tempdir()
        .map_err(|e| Error::Internal(format!("temporary directory: {e}")))
}

fn read_dumped_asm(dir: &Path) -> Result<String, Error> {
    let io = |e: std::io::Error| Error::Internal(format!("{}: {e}", dir.display()));
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let p = entry.map_err(io)?.path();
        if p.to_string_lossy().ends_with("asm.s") {
            return std::fs::read_to_string(&p).map_err(io);
        }
    }
    Err(Error::Internal("the compile wrote no assembly".into()))
}

/// The process's JIT session: every node compiled from Python lives in it
/// until its `Native` (and every instance made from it) is dropped.
fn jit() -> Result<&'static Jit, Error> {
    static JIT: OnceLock<Jit> = OnceLock::new();
    if let Some(j) = JIT.get() {
        return Ok(j);
    }
    let j = Jit::new()?;
    Ok(JIT.get_or_init(|| j))
}

/// A compiled node: its code in this process's JIT, its manifest and its
/// address.
#[pyclass(module = "cfuncc._native")]
struct Native {
    request: Request,
    #[pyo3(get)]
    manifest_json: String,
    #[pyo3(get)]
    address: usize,
    #[pyo3(get)]
    cached: bool,
    #[pyo3(get)]
    warnings: Vec<String>,
    /// Whether the compile cache was asked for (`save` uses it too).
    cache: Option<Option<PathBuf>>,
    node: JitNode,
}

fn cache_of(cache: &Option<Option<PathBuf>>) -> Option<Cache> {
    let off = std::env::var("CFUNCC_CACHE").is_ok_and(|v| v == "off" || v == "0");
    match cache {
        Some(dir) if !off => dir
            .clone()
            .or_else(Cache::default_dir)
            .map(|d| Cache::new(d, cache::DEFAULT_MAX_BYTES)),
        _ => None,
    }
}

/// Compiles `function` of `source` to a loaded node.
#[pyfunction]
#[pyo3(signature = (source, function, filename, constants, fastmath, force_inline, opt_level, link_bitcode, types, cache, cache_dir=None, datetime_as_int=false))]
#[allow(clippy::too_many_arguments)]
fn compile(
    py: Python<'_>,
    source: String,
    function: String,
    filename: String,
    constants: Vec<(String, String)>,
    fastmath: bool,
    force_inline: bool,
    opt_level: i64,
    link_bitcode: Vec<PathBuf>,
    types: Option<String>,
    cache: bool,
    cache_dir: Option<PathBuf>,
    datetime_as_int: bool,
) -> PyResult<Native> {
    let opt_level = u8::try_from(opt_level)
        .ok()
        .and_then(OptLevel::from_u8)
        .ok_or_else(|| PyValueError::new_err(format!("opt_level={opt_level}: use 0, 1, 2 or 3")))?;
    let mut options = CompilationOptions {
        opt_level,
        fastmath,
        force_inline,
        link_bitcode,
        datetime_as_int,
        ..CompilationOptions::default()
    };
    options.filename = filename;
    let request = Request {
        source,
        function,

        constants,
        types,
        options,
    };
    let r = request.clone();
    let cache = cache.then_some(cache_dir);
    let want = cache.clone();
    let (node, outcome, warnings) = py
        .detach(move || -> Result<_, Error> {
            let (ctx, consts) = r.context()?;
            let store = cache_of(&want);
            cache::compile_to_jit_cached(
                &ctx,
                store.as_ref(),
                &r.source,
                &r.function,
                &consts,
                &r.options,
                jit()?,
            )
        })
        .map_err(|e| to_py(py, e))?;
    Ok(Native {
        request,
        manifest_json: node.manifest().to_string(),
        address: node.function() as usize,
        cached: matches!(outcome, cache::Outcome::Hit | cache::Outcome::RemoteHit),
        warnings,
        cache,
        node,
    })
}

#[pymethods]
impl Native {
    /// The node's IR at `stage`: `cfunc`, `llvm-dialect`, `llvm-ir`,
    /// `llvm-ir-unopt` or `asm`.
    fn ir(&self, py: Python<'_>, stage: &str) -> PyResult<String> {
        let r = self.request.clone();
        let stage = stage.to_string();
        py.detach(move || -> Result<String, Error> {
            let (ctx, consts) = r.context()?;
            let mlir = |s| cfuncc::compile_to_mlir(&ctx, &r.source, &r.function, &consts, &r.options, s);
            match stage.as_str() {
                "cfunc" => mlir(Stage::Cfunc),
                "llvm-dialect" => mlir(Stage::LlvmDialect),
                "llvm-ir" | "llvm-ir-unopt" => {
                    let o = cfuncc::compile_to_object(&ctx, &r.source, &r.function, &consts, &r.options)?;
                    let ir = if stage == "llvm-ir" {
                        o.result.llvm_ir
                    } else {
                        o.result.llvm_ir_unoptimized
                    };
                    ir.ok_or_else(|| Error::Internal("no LLVM IR was kept".into()))
                }
                "asm" => {
                    // The compile's dump of its stages holds the assembly.
                    let dir = work_dir_for_dump()?;
                    let mut o = r.options.clone();
                    o.dump_dir = Some(dir.path().to_path_buf());
                    cfuncc::compile_to_object(&ctx, &r.source, &r.function, &consts, &o)
                        .and_then(|_| read_dumped_asm(dir.path()))
                }
                other => Err(Error::Usage(format!(
                    "unknown stage '{other}': use 'cfunc', 'llvm-dialect', 'llvm-ir', 'llvm-ir-unopt' or 'asm'"
                ))),
            }
        })
        .map_err(|e| to_py(py, e))
    }

    /// Writes the node as a `.so` at `path` and its manifest beside it
    /// (`.json`), for hosts that load files (from the cache when it has it).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let r = self.request.clone();
        let want = self.cache.clone();
        py.detach(move || -> Result<(), Error> {
            let (ctx, consts) = r.context()?;
            let store = cache_of(&want);
            let c = cache::compile_to_so_cached(
                &ctx,
                store.as_ref(),
                &r.source,
                &r.function,
                &consts,
                &r.options,
                &path,
            )?;
            let json = path.with_extension("json");
            let text = serde_json::to_string_pretty(&c.manifest).unwrap_or_default();
            std::fs::write(&json, text + "\n")
                .map_err(|e| Error::Internal(format!("{}: {e}", json.display())))
        })
        .map_err(|e| to_py(py, e))
    }

    /// A new instance with its own cells (state, fault record); it keeps
    /// the code alive on its own.
    fn instance(&self) -> PyResult<Instance> {
        let node = self
            .node
            .runner()
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(Instance { node })
    }
}

/// One instance of a node: START, EXECUTE ticks, STOP.
#[pyclass(module = "cfuncc._native", unsendable)]
struct Instance {
    node: Node,
}

fn py_value(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
        Value::Float(f) => f.into_pyobject(py)?.into_any().unbind(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Struct(fs) => {
            let items = fs
                .iter()
                .map(|f| py_value(py, f))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any().unbind()
        }
    })
}

fn value_of(v: &Bound<'_, PyAny>, ty: &SlotType) -> PyResult<Value> {
    let bad =
        |what: &str| PyValueError::new_err(format!("expected {what} for a {ty} input, got {v}"));
    Ok(match ty {
        SlotType::Int => Value::Int(v.extract::<i64>().map_err(|_| bad("an int"))?),
        SlotType::Float => Value::Float(v.extract::<f64>().map_err(|_| bad("a float"))?),
        SlotType::Bool => Value::Bool(v.extract::<bool>().map_err(|_| bad("a bool"))?),
        SlotType::Struct(def) => {
            let fields: Vec<Bound<'_, PyAny>> =
                v.extract().map_err(|_| bad("a sequence of field values"))?;
            if fields.len() != def.fields.len() {
                return Err(bad(&format!("{} field values", def.fields.len())));
            }
            Value::Struct(
                fields
                    .iter()
                    .zip(&def.fields)
                    .map(|(x, f)| match x.extract::<u64>() {
                        // A uint64 field takes 2^63 ... 2^64 - 1 too, as
                        // ctypes' c_uint64 does: the same 64 bits.
                        Ok(u) if f.storage == Storage::UInt64 && f.ty == SlotType::Int => {
                            Ok(Value::Int(u as i64))
                        }
                        _ => value_of(x, &f.ty),
                    })
                    .collect::<PyResult<_>>()?,
            )
        }
    })
}

/// Lets a closure that uses an unsendable instance run without the GIL:
/// the instance is `unsendable` (pinned to its thread by PyO3) and borrowed
/// mutably for the call, so nothing else touches it meanwhile.
struct AssertSend<T>(T);
unsafe impl<T> Send for AssertSend<T> {}

#[pymethods]
impl Instance {
    /// Runs START.
    fn start(&mut self, py: Python<'_>) -> PyResult<()> {
        self.node.start().map_err(|f| fault_err(py, f, None))
    }

    /// Runs STOP.
    fn stop(&mut self, py: Python<'_>) -> PyResult<()> {
        self.node.stop().map_err(|f| fault_err(py, f, None))
    }

    /// The input and output types, as Python names.
    #[getter]
    fn input_types(&self) -> Vec<String> {
        self.node
            .input_types()
            .iter()
            .map(|t| t.to_string())
            .collect()
    }

    /// One EXECUTE tick: each output's value, None where it did not tick.
    #[pyo3(signature = (values, ticked=None, valid=None))]
    fn execute(
        &mut self,
        py: Python<'_>,
        values: Vec<Bound<'_, PyAny>>,
        ticked: Option<Vec<bool>>,
        valid: Option<Vec<bool>>,
    ) -> PyResult<Vec<Option<Py<PyAny>>>> {
        let types = self.node.input_types().to_vec();
        if values.len() != types.len() {
            return Err(PyValueError::new_err(format!(
                "the node takes {} inputs, {} given",
                types.len(),
                values.len()
            )));
        }
        for (what, flags) in [("ticked", &ticked), ("valid", &valid)] {
            if let Some(f) = flags {
                if f.len() != types.len() {
                    return Err(PyValueError::new_err(format!(
                        "{what} has {} flags for {} inputs",
                        f.len(),
                        types.len()
                    )));
                }
            }
        }
        let inputs = values
            .iter()
            .zip(&types)
            .map(|(v, t)| value_of(v, t))
            .collect::<PyResult<Vec<_>>>()?;
        let out = self
            .node
            .execute(
                &inputs,
                ticked.as_deref().unwrap_or(&[]),
                valid.as_deref().unwrap_or(&[]),
            )
            .map_err(|f| fault_err(py, f, None))?;
        out.iter()
            .map(|o| o.as_ref().map(|v| py_value(py, v)).transpose())
            .collect()
    }

    /// Runs `n` EXECUTE ticks without Python in between, on buffers the
    /// caller owns (no copies): `columns` holds each input's 8-byte cells
    /// (int64, double, or 0/1 for bool), `ticked`/`valid` one byte per
    /// tick per input (or None: all set); each output's cells and ticked
    /// bytes are written to `outputs` and `out_ticked` (an output that did
    /// not tick leaves its cell as it was). A fault stops the replay and
    /// raises NodeFault with the tick's index.
    #[allow(clippy::too_many_arguments)]
    fn replay(
        &mut self,
        py: Python<'_>,
        n: usize,
        columns: Vec<PyBuffer<u8>>,
        ticked: Vec<Option<PyBuffer<u8>>>,
        valid: Vec<Option<PyBuffer<u8>>>,
        outputs: Vec<PyBuffer<u8>>,
        out_ticked: Vec<PyBuffer<u8>>,
    ) -> PyResult<()> {
        if !self.node.cells_only() {
            return Err(PyValueError::new_err(
                "replay takes nodes whose inputs and outputs are int, float or bool; use execute for struct values",
            ));
        }
        let k = self.node.input_types().len();
        let m = self.node.output_types().len();
        if columns.len() != k || ticked.len() != k || valid.len() != k {
            return Err(PyValueError::new_err(format!(
                "the node takes {k} inputs, {} columns given",
                columns.len()
            )));
        }
        if outputs.len() != m || out_ticked.len() != m {
            return Err(PyValueError::new_err(format!("the node has {m} outputs")));
        }
        let whole = |b: &PyBuffer<u8>, len: usize, what: &str, writable: bool| -> PyResult<usize> {
            if !b.is_c_contiguous() || b.len_bytes() != len || (writable && b.readonly()) {
                return Err(PyValueError::new_err(format!(
                    "{what}: expected a contiguous{} buffer of {len} bytes, got {}",
                    if writable { " writable" } else { "" },
                    b.len_bytes()
                )));
            }
            Ok(b.buf_ptr() as usize)
        };
        let mut cols = Vec::with_capacity(k);
        for (i, c) in columns.iter().enumerate() {
            cols.push(whole(c, n * 8, &format!("column {i}"), false)?);
        }
        let mut masks = [Vec::with_capacity(k), Vec::with_capacity(k)];
        for (which, list) in [(0, &ticked), (1, &valid)] {
            for (i, b) in list.iter().enumerate() {
                let what = format!("{} mask {i}", ["ticked", "valid"][which]);
                masks[which].push(b.as_ref().map(|b| whole(b, n, &what, false)).transpose()?);
            }
        }
        let mut outs = Vec::with_capacity(m);
        let mut outs_t = Vec::with_capacity(m);
        for j in 0..m {
            outs.push(whole(&outputs[j], n * 8, &format!("output {j}"), true)?);
            outs_t.push(whole(
                &out_ticked[j],
                n,
                &format!("output ticked {j}"),
                true,
            )?);
        }
        let [tmask, vmask] = masks;
        let node = AssertSend(&mut self.node);
        let result = py.detach(move || {
            let node = node;
            // Safety: every buffer was checked above to be contiguous and of
            // its length, the output ones writable; the PyBuffer handles
            // keep them alive and their exports fixed until this returns.
            let col = |i: usize| unsafe { std::slice::from_raw_parts(cols[i] as *const u64, n) };
            let mask = |p: Option<usize>| {
                p.map(|p| unsafe { std::slice::from_raw_parts(p as *const u8, n) })
            };
            let cols: Vec<&[u64]> = (0..k).map(col).collect();
            let tm: Vec<Option<&[u8]>> = tmask.iter().map(|p| mask(*p)).collect();
            let vm: Vec<Option<&[u8]>> = vmask.iter().map(|p| mask(*p)).collect();
            let mut outs: Vec<&mut [u64]> = outs
                .iter()
                .map(|&p| unsafe { std::slice::from_raw_parts_mut(p as *mut u64, n) })
                .collect();
            let mut outs_t: Vec<&mut [u8]> = outs_t
                .iter()
                .map(|&p| unsafe { std::slice::from_raw_parts_mut(p as *mut u8, n) })
                .collect();
            let mut cells = vec![0u64; k];
            let mut t = vec![true; k];
            let mut v = vec![true; k];
            let mut o = vec![0u64; m];
            let mut ot = vec![false; m];
            for tick in 0..n {
                for i in 0..k {
                    cells[i] = u64::from_le(cols[i][tick]);
                    t[i] = tm[i].is_none_or(|m| m[tick] != 0);
                    v[i] = vm[i].is_none_or(|m| m[tick] != 0);
                }
                if let Err(f) = node.0.execute_cells(&cells, &t, &v, &mut o, &mut ot) {
                    return Err((f, tick));
                }
                for j in 0..m {
                    outs_t[j][tick] = ot[j] as u8;
                    if ot[j] {
                        outs[j][tick] = o[j];
                    }
                }
            }
            Ok(())
        });
        result.map_err(|(f, tick)| fault_err(py, f, Some(tick)))
    }
}

/// cfuncc's version and the LLVM it uses.
#[pyfunction]
fn versions() -> (String, String) {
    (
        env!("CARGO_PKG_VERSION").to_string(),
        cfuncc::backend::llvm_version(),
    )
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(compile, m)?)?;
    m.add_function(wrap_pyfunction!(versions, m)?)?;
    m.add_class::<Native>()?;
    m.add_class::<Instance>()?;
    m.add("CompileError", m.py().get_type::<CompileError>())?;
    m.add("NodeFault", m.py().get_type::<NodeFault>())?;
    Ok(())
}
