//! The ABI, defined once: the exported function's parameters, the
//! lifecycle phases, the fault record, the state slots, the runtime's
//! symbols and the node's interface (`signature`) and externs (`externs`).
//!
//! ```text
//! void f(void** outputs, int8_t* output_ticked, void** state,
//!        int8_t lifecycle_phase, void** inputs, int8_t* input_ticked,
//!        int8_t* input_valid)
//! ```
//! The phases, the fault codes and the fault cell's packing come from the
//! host crate (`cfuncc_host::abi`), so a host and the compiler cannot
//! disagree about them; this module adds what only the compiler needs.

pub mod externs;
pub mod signature;

pub use cfuncc_host::abi::{
    pack_fault, phase, schema_major, unpack_fault, FaultCode, SCHEMA_VERSION,
};

/// The names of the exported function's parameters. The first four are
/// every node's (the `prefix` category); the signal category adds the last
/// three. Registered source categories may add more after them.
pub mod param {
    /// `void** outputs`: one cell per output.
    pub const OUTPUTS: &str = "outputs";
    /// `int8_t* output_ticked`: one flag per output, set when it ticks.
    pub const OUTPUT_TICKED: &str = "output_ticked";
    /// `void** state`: one cell per state slot, the fault cell last.
    pub const STATE: &str = "state";
    /// `int8_t lifecycle_phase`: [`super::phase`].
    pub const LIFECYCLE_PHASE: &str = "lifecycle_phase";
    /// `void** inputs`: one cell per signal input.
    pub const INPUTS: &str = "inputs";
    /// `int8_t* input_ticked`: one flag per signal input.
    pub const INPUT_TICKED: &str = "input_ticked";
    /// `int8_t* input_valid`: one flag per signal input.
    pub const INPUT_VALID: &str = "input_valid";
}

/// The C type of one ABI parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbiType {
    /// `void**` or `int8_t*`.
    Ptr,
    /// `int8_t`.
    I8,
}

/// The prefix of every container runtime symbol (`cfrt_list_new`, ...);
/// the backend links the runtime into modules that declare one, and no
/// extern may use it.
pub const RUNTIME_PREFIX: &str = "cfrt_";

/// The module attribute naming the state slot of the node's per-instance
/// fault record (`cfunc.fault_slot = N : i64`), set by the frontend and read
/// by cfunc-lower-faults.
pub const FAULT_SLOT_ATTR: &str = "cfunc.fault_slot";
