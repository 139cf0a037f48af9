//! The C ABI of a compiled node (design.md §2) as a host sees it: the
//! phases, the fault codes and the per-instance fault cell, and the
//! manifest's schema version. The compiler uses the same definitions.

/// `lifecycle_phase` values; any other value does nothing.
pub mod phase {
    /// One tick.
    pub const EXECUTE: i8 = 0;
    /// Allocate container state, write initial values.
    pub const START: i8 = 1;
    /// Free container state.
    pub const STOP: i8 = 2;
}

/// Fault codes: a tick that faults stops and leaves one of these, with the
/// source line and column, in the node's fault record (see README "Faults").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum FaultCode {
    /// `x << n` or `x >> n` with `n < 0`.
    NegativeShift = 1,
    /// `x ** n` on ints with `n < 0`.
    NegativeIntPower = 2,
    /// `int(x)` (or `round`, `math.floor`, ...) of NaN or infinity.
    FloatToIntNonFinite = 3,
    /// `range(...)` with a step of zero.
    RangeStepZero = 4,
    /// A list index (get, set, pop(i), del) outside the list.
    IndexOutOfRange = 5,
    /// `pop()` on an empty list.
    PopEmptyList = 6,
    /// `d[k]`, `d[k] op= v`, `del d[k]` or `d.pop(k)` of a missing key.
    KeyMissing = 7,
    /// A dict's keys changed while a `for` loop iterated over it.
    DictChangedDuringIteration = 8,
    /// Container state used in EXECUTE before START or after STOP.
    ContainerNotStarted = 9,
    /// A container could not grow (allocation failed).
    OutOfMemory = 10,
    /// `min()` or `max()` of an empty list.
    EmptyListMinMax = 11,
    /// A slice step of zero at run time.
    SliceStepZero = 12,
    /// A NaN used as a dict key (Python matches NaN keys by identity).
    NanDictKey = 13,
    /// An input's value read while `input_valid` is 0 (the host may pass
    /// NULL for it then).
    InputNotValid = 14,
}

impl FaultCode {
    /// All codes, for tables and documentation.
    pub const ALL: [FaultCode; 14] = [
        FaultCode::NegativeShift,
        FaultCode::NegativeIntPower,
        FaultCode::FloatToIntNonFinite,
        FaultCode::RangeStepZero,
        FaultCode::IndexOutOfRange,
        FaultCode::PopEmptyList,
        FaultCode::KeyMissing,
        FaultCode::DictChangedDuringIteration,
        FaultCode::ContainerNotStarted,
        FaultCode::OutOfMemory,
        FaultCode::EmptyListMinMax,
        FaultCode::SliceStepZero,
        FaultCode::NanDictKey,
        FaultCode::InputNotValid,
    ];

    /// The message shown for this fault.
    pub fn message(self) -> &'static str {
        match self {
            FaultCode::NegativeShift => "negative shift count",
            FaultCode::NegativeIntPower => "integer raised to a negative power",
            FaultCode::FloatToIntNonFinite => "cannot convert NaN or infinity to int",
            FaultCode::RangeStepZero => "range() step must not be zero",
            FaultCode::IndexOutOfRange => "list or array index out of range",
            FaultCode::PopEmptyList => "pop from an empty list",
            FaultCode::KeyMissing => "key not in dict",
            FaultCode::DictChangedDuringIteration => "dict changed size during iteration",
            FaultCode::ContainerNotStarted => "container state used before START or after STOP",
            FaultCode::OutOfMemory => "out of memory",
            FaultCode::EmptyListMinMax => "min() or max() of an empty list",
            FaultCode::SliceStepZero => "slice step must not be zero",
            FaultCode::NanDictKey => "NaN used as a dict key",
            FaultCode::InputNotValid => "input read while it is not valid",
        }
    }

    /// The code for a raw value.
    pub fn from_i32(code: i32) -> Option<Self> {
        Self::ALL.into_iter().find(|c| *c as i32 == code)
    }
}

/// A fault packed into the instance's fault cell, an int64: code in bits
/// 0..16, column in bits 16..32 (saturated at 65535), line in bits 32..64;
/// in memory (little-endian) `struct { uint16_t code, col; uint32_t line; }`.
pub fn pack_fault(code: i64, line: i64, col: i64) -> i64 {
    (code & 0xFFFF) | (col.clamp(0, 0xFFFF) << 16) | ((line & 0xFFFF_FFFF) << 32)
}

/// The (code, line, col) of a packed fault cell.
pub fn unpack_fault(cell: u64) -> (i32, i32, i32) {
    (
        (cell & 0xFFFF) as i32,
        (cell >> 32) as u32 as i32,
        ((cell >> 16) & 0xFFFF) as i32,
    )
}

/// The manifest's schema version, `MAJOR.MINOR` (docs/contracts.md,
/// "Versioning"): within a major version fields are only ever added, and a
/// host ignores the fields it does not know.
pub const SCHEMA_VERSION: &str = "1.3";

/// The major version of a manifest's `schema_version` (1 for manifests
/// written before it existed), or `None` if it is malformed.
pub fn schema_major(manifest: &serde_json::Value) -> Option<u64> {
    match manifest.get("schema_version") {
        None => Some(1),
        Some(v) => v.as_str()?.split('.').next()?.parse().ok(),
    }
}
