//! cfuncc: typed Python stream-processing nodes → native C-ABI functions,
//! through MLIR.
//!
//! ```no_run
//! use cfuncc::{compile_to_so, CompilationContext, CompilationOptions, Constants};
//! let ctx = CompilationContext::with_defaults().unwrap();
//! let src = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";
//! let mut consts = Constants::new();
//! consts.insert("alpha".into(), cfuncc::ConstValue::Float(0.5));
//! let r = compile_to_so(&ctx, src, "ema", &consts, &CompilationOptions::default(), "ema.so".as_ref()).unwrap();
//! println!("{}", r.native_name);
//! ```
#![warn(missing_docs)]

// The layers, bottom to top (docs/architecture.md): each module uses only
// the ones above it in this list; tests/layers.rs checks it.
pub mod abi;
pub mod backend;
pub mod diagnostics;
pub mod dialect;
pub mod driver;
pub mod extensions;
pub mod frontend;
pub mod passes;
pub mod registry;
pub mod stack;
pub mod tools;
pub mod types;

/// The runner lives in the host crate (no LLVM or MLIR): load a `.so`,
/// check it against its manifest, drive it.
pub use cfuncc_host::runner;

/// The registry under its earlier name.
pub use registry as context;

pub use abi::externs::ExternFunction;
pub use abi::signature::NodeSignature;
pub use backend::link::Linker;
pub use diagnostics::{CompileError, Error, Result, SourceMap};
pub use driver::manifest;
pub use driver::*;
pub use registry::{CompilationContext, Registry};
pub use stack::{with_compile_stack, COMPILE_STACK};
pub use types::{ConstValue, Ty};
