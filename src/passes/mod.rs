//! The named passes and the pipeline that runs them.
//!
//! ```text
//! cfunc-resolve          cfunc.call / cfunc.getattr → registered lowerings
//! cfunc-lower-arith      floordiv, mod, ipow, shifts, to_int → arith/math/scf
//! cfunc-simplify-containers  forward known reads: get after set, len after appends
//! cfunc-lower-containers list/dict ops → runtime calls + cfunc.check faults
//! cfunc-lower-lifecycle  cfunc.lifecycle → exported ABI function + cf.switch
//! cfunc-lower-faults     cfunc.check → branch to fault record + return
//! cfunc-lower-io         inputs/outputs → llvm loads/stores
//! cfunc-lower-state      state slots → llvm loads/stores
//! cfunc-to-llvm          upstream conversions to the llvm dialect
//! ```
//! A pipeline is a comma-separated list of these names and upstream MLIR
//! pass names (`canonicalize`, `cse`, `func.func(mem2reg)`, ...), so
//! `cfunc-opt` can run any stage alone or mix both kinds.

pub mod fuse_dict_updates;
pub mod lower_arith;
pub mod lower_containers;
pub mod lower_faults;
pub mod lower_io;
pub mod lower_lifecycle;
pub mod lower_state;
pub mod pattern;
pub mod resolve;
pub mod simplify_containers;
pub mod to_llvm;

use crate::context::CompilationContext;
use crate::diagnostics::{CompileError, Error, Pos, Result, SourceMap};
use mlir_sys::*;
use pattern::PassDiag;
use std::time::{Duration, Instant};

/// A cfunc pass: its name, what it does, and its entry point.
pub struct PassInfo {
    /// The name used in pipelines.
    pub name: &'static str,
    /// One line for `--list-passes`.
    pub summary: &'static str,
    run: fn(&CompilationContext, MlirOperation) -> Result<(), Vec<PassDiag>>,
}

/// Every cfunc pass, in default pipeline order.
pub const PASSES: &[PassInfo] = &[
    PassInfo {
        name: "cfunc-resolve",
        summary: "resolve cfunc.call/cfunc.getattr through the registered handlers",
        run: resolve::run,
    },
    PassInfo {
        name: "cfunc-lower-arith",
        summary: "Python //, %, **, shifts and float->int to arith/math/scf",
        run: lower_arith::run,
    },
    PassInfo {
        name: "cfunc-simplify-containers",
        summary: "forward known container reads (get after set, repeated get, len after appends)",
        run: |_, m| simplify_containers::run(m),
    },
    PassInfo {
        name: "cfunc-fuse-dict-updates",
        summary: "d[k] = d.get(k, x) + v and d[k] += v probe the dict once (cfunc.dict_slot)",
        run: |_, m| fuse_dict_updates::run(m).map(|_| ()),
    },
    PassInfo {
        name: "cfunc-lower-containers",
        summary: "list and dict ops to calls into the container runtime, with fault checks",
        run: lower_containers::run,
    },
    PassInfo {
        name: "cfunc-lower-lifecycle",
        summary: "cfunc.lifecycle to the exported ABI function dispatching on the phase",
        run: |_, m| lower_lifecycle::run(m),
    },
    PassInfo {
        name: "cfunc-lower-faults",
        summary: "cfunc.check to a branch that records the fault and returns",
        run: |_, m| lower_faults::run(m),
    },
    PassInfo {
        name: "cfunc-lower-io",
        summary: "signal inputs and outputs to llvm loads/stores through the ABI arrays",
        run: lower_io::run,
    },
    PassInfo {
        name: "cfunc-lower-state",
        summary: "state slots to llvm loads/stores through state[i]",
        run: lower_state::run,
    },
    PassInfo {
        name: "cfunc-to-llvm",
        summary: "upstream conversions of func/arith/math/scf/cf to the llvm dialect",
        run: to_llvm::run,
    },
];

/// The default pipeline from the cfunc dialect to the llvm dialect.
pub fn default_pipeline() -> String {
    PASSES.iter().map(|p| p.name).collect::<Vec<_>>().join(",")
}

/// Options for a pipeline run.
#[derive(Default, Clone)]
pub struct RunOptions {
    /// Print the IR after every pass to stderr.
    pub print_after_all: bool,
    /// Print the IR before every pass to stderr.
    pub print_before_all: bool,
}

/// Per-pass wall time of a run; the last entry, `(verify)`, is the time
/// spent verifying after the passes.
pub type PassTimings = Vec<(String, Duration)>;

/// Splits a pipeline at top-level commas, honouring parentheses.
pub fn split_pipeline(pipeline: &str) -> Vec<String> {
    let inner = pipeline.trim();
    let inner = inner
        .strip_prefix("builtin.module(")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(inner);
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in inner.chars() {
        match ch {
            '(' | '{' => depth += 1,
            ')' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur).trim().to_string());
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Runs `pipeline` on `module`. Diagnostics are rendered against `map`.
pub fn run_pipeline(
    cx: &CompilationContext,
    module: MlirOperation,
    pipeline: &str,
    map: Option<&SourceMap>,
    opts: &RunOptions,
) -> Result<PassTimings> {
    let mut timings = Vec::new();
    let mut verifying = Duration::ZERO;
    for name in split_pipeline(pipeline) {
        if opts.print_before_all {
            eprintln!(
                "// -----// IR Dump Before {name} //----- //\n{}",
                print_op(module)
            );
        }
        let t = Instant::now();
        let result = match PASSES.iter().find(|p| p.name == name) {
            Some(p) => (p.run)(cx, module),
            None => to_llvm::run_upstream(cx, module, &name),
        };
        timings.push((name.clone(), t.elapsed()));
        result.map_err(|diags| diag_error(&name, &diags, map))?;
        let t = Instant::now();
        verify(module, map)?;
        verifying += t.elapsed();
        if opts.print_after_all {
            eprintln!(
                "// -----// IR Dump After {name} //----- //\n{}",
                print_op(module)
            );
        }
    }
    timings.push(("(verify)".into(), verifying));
    Ok(timings)
}

/// Verifies the module, reporting the first failure at its location.
pub fn verify(module: MlirOperation, map: Option<&SourceMap>) -> Result<()> {
    let diags =
        crate::mlir_util::capture_diagnostics(module, || unsafe { mlirOperationVerify(module) });
    match diags {
        (true, _) => Ok(()),
        (false, d) => {
            let d = if d.is_empty() {
                vec![PassDiag {
                    loc: unsafe { mlirOperationGetLocation(module) },
                    message: "verification failed".into(),
                }]
            } else {
                d
            };
            Err(diag_error("verify", &d, map))
        }
    }
}

/// Converts pass diagnostics to an error: a located `CompileError` when the
/// location points into the Python source, else an internal error.
pub fn diag_error(pass: &str, diags: &[PassDiag], map: Option<&SourceMap>) -> Error {
    let d = &diags[0];
    let (line, col) = lower_faults::line_col(d.loc);
    match map {
        Some(map) if line > 0 => CompileError::at_pos(
            map,
            Pos {
                line: line as u32,
                col: col as u32,
            },
            d.message.clone(),
        )
        .into(),
        _ => Error::Internal(format!(
            "{pass}: {} (at {})",
            d.message,
            location_text(d.loc)
        )),
    }
}

/// Collects what an MLIR print callback writes into a string. The printer
/// calls back once per token, so the bytes are gathered first and checked
/// as UTF-8 once.
fn printed(print: impl FnOnce(MlirStringCallback, *mut std::ffi::c_void)) -> String {
    let mut out: Vec<u8> = Vec::new();
    unsafe extern "C" fn cb(s: MlirStringRef, data: *mut std::ffi::c_void) {
        let out = unsafe { &mut *(data as *mut Vec<u8>) };
        if !s.data.is_null() {
            out.extend_from_slice(unsafe {
                std::slice::from_raw_parts(s.data as *const u8, s.length)
            });
        }
    }
    print(Some(cb), &mut out as *mut Vec<u8> as *mut _);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Prints a type (`i64`, `!cfunc.list<f64>`).
pub fn type_text(t: MlirType) -> String {
    printed(|cb, data| unsafe { mlirTypePrint(t, cb, data) })
}

/// Prints a location.
pub fn location_text(loc: MlirLocation) -> String {
    printed(|cb, data| unsafe { mlirLocationPrint(loc, cb, data) })
}

/// Prints an operation in generic-free custom form where available.
pub fn print_op(op: MlirOperation) -> String {
    printed(|cb, data| unsafe { mlirOperationPrint(op, cb, data) })
}

/// Prints an operation that has just been verified, without the printer
/// verifying it again (the text is the same as `print_op`'s).
pub fn print_verified_op(op: MlirOperation) -> String {
    printed(|cb, data| unsafe {
        let flags = mlirOpPrintingFlagsCreate();
        mlirOpPrintingFlagsAssumeVerified(flags);
        mlirOperationPrintWithFlags(op, flags, cb, data);
        mlirOpPrintingFlagsDestroy(flags);
    })
}

/// Prints an operation with `loc(...)` annotations.
pub fn print_op_with_locations(op: MlirOperation) -> String {
    printed(|cb, data| unsafe {
        let flags = mlirOpPrintingFlagsCreate();
        mlirOpPrintingFlagsEnableDebugInfo(flags, true, false);
        mlirOperationPrintWithFlags(op, flags, cb, data);
        mlirOpPrintingFlagsDestroy(flags);
    })
}
