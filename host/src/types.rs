//! The types of the values that cross the ABI, as a manifest names them.
//! Every scalar type a node uses (datetime, timedelta, a user's `Price`) is
//! carried as one of int, float or bool (the manifest's `scalar_types`), so
//! a host sees only these and structs.
//!
//! A struct field has a [`Storage`] as well: how many bytes it takes in the
//! host's struct and how they read back (`int8` … `uint64`, `float32`,
//! `float64`, `bool`). Its value type is still int, float or bool.

use std::fmt;
use std::sync::Arc;

/// The type of one input, output or struct field cell.
///
/// A struct's layout is shared (`Arc`): a host that loads and drops nodes
/// all day frees each layout with the last node that uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotType {
    /// int64 (also datetime and timedelta nanoseconds).
    Int,
    /// double.
    Float,
    /// bool: one byte, nonzero = true.
    Bool,
    /// A struct of the given layout (the manifest's `structs`).
    Struct(Arc<StructLayout>),
}

/// A struct's layout, from the manifest's `structs` section.
#[derive(Debug, PartialEq, Eq)]
pub struct StructLayout {
    /// The struct's name.
    pub name: String,
    /// Its size in bytes.
    pub size: usize,
    /// Its fields, in declaration order.
    pub fields: Vec<FieldLayout>,
}

/// One field of a [`StructLayout`].
#[derive(Debug, PartialEq, Eq)]
pub struct FieldLayout {
    /// The field's name.
    pub name: String,
    /// Its value type (not a struct): int for every integer storage, float
    /// for `float32` and `float64`.
    pub ty: SlotType,
    /// Its byte offset (any: packed and unaligned fields are fine).
    pub offset: usize,
    /// How it is laid out in the struct's bytes.
    pub storage: Storage,
}

/// How a struct field is stored in the host's struct: its C type.
///
/// Reads widen to the field's value type: a signed integer sign-extends
/// to int64, an unsigned one zero-extends, and `uint64` is read as the
/// int64 of the same bits (2^63 and more read back negative, wrapped, as
/// every int of cfuncc is int64); `float32` widens exactly to a double; a
/// `bool` byte is true when nonzero. Writes keep the low N bits of an int
/// (as ctypes does), round a double to the nearest float32 (ties to even;
/// beyond float32's range, ±inf) and write a bool as one byte, 0 or 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Storage {
    /// `int8_t`.
    Int8,
    /// `int16_t`.
    Int16,
    /// `int32_t`.
    Int32,
    /// `int64_t` (int, datetime and timedelta fields by default).
    Int64,
    /// `uint8_t`.
    UInt8,
    /// `uint16_t`.
    UInt16,
    /// `uint32_t`.
    UInt32,
    /// `uint64_t`: read as the int64 of the same bits.
    UInt64,
    /// `float`.
    Float32,
    /// `double` (float fields by default).
    Float64,
    /// `bool`: one byte, nonzero = true.
    Bool,
}

impl Storage {
    /// Every storage, in the order of [`Storage::name`]s in messages.
    pub const ALL: [Storage; 11] = [
        Storage::Int8,
        Storage::Int16,
        Storage::Int32,
        Storage::Int64,
        Storage::UInt8,
        Storage::UInt16,
        Storage::UInt32,
        Storage::UInt64,
        Storage::Float32,
        Storage::Float64,
        Storage::Bool,
    ];

    /// The name manifests and `--types` files use: `int8` … `uint64`,
    /// `float32`, `float64`, `bool`.
    pub fn name(self) -> &'static str {
        match self {
            Storage::Int8 => "int8",
            Storage::Int16 => "int16",
            Storage::Int32 => "int32",
            Storage::Int64 => "int64",
            Storage::UInt8 => "uint8",
            Storage::UInt16 => "uint16",
            Storage::UInt32 => "uint32",
            Storage::UInt64 => "uint64",
            Storage::Float32 => "float32",
            Storage::Float64 => "float64",
            Storage::Bool => "bool",
        }
    }

    /// The storage called `name` ([`Storage::name`]).
    pub fn from_name(name: &str) -> Option<Storage> {
        Storage::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The names of every storage, comma-separated, for messages.
    pub fn names() -> String {
        Storage::ALL.map(Storage::name).join(", ")
    }

    /// Its size in bytes.
    pub fn size(self) -> usize {
        match self {
            Storage::Int8 | Storage::UInt8 | Storage::Bool => 1,
            Storage::Int16 | Storage::UInt16 => 2,
            Storage::Int32 | Storage::UInt32 | Storage::Float32 => 4,
            Storage::Int64 | Storage::UInt64 | Storage::Float64 => 8,
        }
    }

    /// Whether it holds an integer (and so an int value).
    pub fn is_int(self) -> bool {
        !self.is_float() && self != Storage::Bool
    }

    /// Whether it holds a floating-point number (and so a float value).
    pub fn is_float(self) -> bool {
        matches!(self, Storage::Float32 | Storage::Float64)
    }

    /// Whether it is a signed integer.
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            Storage::Int8 | Storage::Int16 | Storage::Int32 | Storage::Int64
        )
    }

    /// The storage of a field of value type `ty` when none is given:
    /// `int64`, `float64` or `bool` (`None` for a struct).
    pub fn default_for(ty: &SlotType) -> Option<Storage> {
        match ty {
            SlotType::Int => Some(Storage::Int64),
            SlotType::Float => Some(Storage::Float64),
            SlotType::Bool => Some(Storage::Bool),
            SlotType::Struct(_) => None,
        }
    }

    /// The value type it is read as: int, float or bool.
    pub fn value_type(self) -> SlotType {
        if self.is_float() {
            SlotType::Float
        } else if self == Storage::Bool {
            SlotType::Bool
        } else {
            SlotType::Int
        }
    }

    /// Writes `cell` (a value as an 8-byte cell holds it: the int64's or
    /// the double's bits, a bool as 0 or 1) into `bytes[..self.size()]` as
    /// this storage lays it out (see [`Storage`]).
    ///
    /// ```
    /// use cfuncc_host::types::Storage;
    /// let mut b = [0u8; 4];
    /// Storage::UInt8.store(300, &mut b);
    /// assert_eq!(b[0], 44);
    /// Storage::Float32.store(0.1f64.to_bits(), &mut b);
    /// assert_eq!(f32::from_le_bytes(b), 0.1f32);
    /// ```
    pub fn store(self, cell: u64, bytes: &mut [u8]) {
        let n = self.size();
        match self {
            Storage::Float32 => {
                let x = f64::from_bits(cell) as f32;
                bytes[..4].copy_from_slice(&x.to_le_bytes());
            }
            Storage::Bool => bytes[0] = (cell != 0) as u8,
            _ => bytes[..n].copy_from_slice(&cell.to_le_bytes()[..n]),
        }
    }

    /// Reads a value of this storage from `bytes[..self.size()]` as the
    /// 8-byte cell of its value type (see [`Storage`]).
    ///
    /// ```
    /// use cfuncc_host::types::Storage;
    /// assert_eq!(Storage::Int8.load(&[0xff]) as i64, -1);
    /// assert_eq!(Storage::UInt8.load(&[0xff]) as i64, 255);
    /// assert_eq!(Storage::UInt64.load(&[0xff; 8]) as i64, -1);
    /// ```
    pub fn load(self, bytes: &[u8]) -> u64 {
        let n = self.size();
        match self {
            Storage::Float32 => {
                let x = f32::from_le_bytes(bytes[..4].try_into().expect("4 bytes"));
                f64::from(x).to_bits()
            }
            Storage::Bool => (bytes[0] != 0) as u64,
            _ => {
                let mut cell = [0u8; 8];
                cell[..n].copy_from_slice(&bytes[..n]);
                let raw = u64::from_le_bytes(cell);
                let shift = 64 - 8 * n as u32;
                if self.is_signed() && shift > 0 {
                    (((raw << shift) as i64) >> shift) as u64
                } else {
                    raw
                }
            }
        }
    }
}

impl fmt::Display for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl StructLayout {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&FieldLayout> {
        self.fields.iter().find(|f| f.name == name)
    }
}

impl SlotType {
    /// The layout of a struct type.
    pub fn as_struct(&self) -> Option<&StructLayout> {
        match self {
            SlotType::Struct(d) => Some(d),
            _ => None,
        }
    }

    /// The type's name as a manifest writes a scalar: `int`, `float`,
    /// `bool`, or the struct's name.
    pub fn python_name(&self) -> &'static str {
        match self {
            SlotType::Int => "int",
            SlotType::Float => "float",
            SlotType::Bool => "bool",
            SlotType::Struct(_) => "struct",
        }
    }
}

impl fmt::Display for SlotType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlotType::Struct(d) => f.write_str(&d.name),
            t => f.write_str(t.python_name()),
        }
    }
}
