//! cfuncc-host: what a Rust host needs to load and drive a node compiled by
//! cfuncc, and nothing of the compiler: the C ABI ([`abi`]), the manifest
//! as a host reads it ([`manifest`], serde-derived), the value types a
//! manifest names ([`types`]) and a runner ([`runner`]) that loads a `.so`
//! (or takes the addresses of a node already in the process, such as
//! cfuncc's JIT's), checks it against its manifest and the machine's CPU,
//! and drives START / EXECUTE / STOP. No LLVM or MLIR: `cargo tree -p
//! cfuncc-host` lists serde, serde_json, serde_path_to_error, thiserror and
//! libloading.
#![warn(missing_docs)]

pub mod abi;
pub mod manifest;
pub mod runner;
pub mod tickloop;
pub mod types;

/// What can go wrong loading or driving a node.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A bad manifest, `.so` or argument from the caller.
    #[error("{0}")]
    Usage(String),
    /// A failure of the system (a file that cannot be read, ...).
    #[error("{0}")]
    Internal(String),
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Internal(e.to_string())
    }
}
