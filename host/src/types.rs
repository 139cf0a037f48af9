//! The types of the values that cross the ABI, as a manifest names them.
//! Every scalar type a node uses (datetime, timedelta, a user's `Price`) is
//! carried as one of int, float or bool (the manifest's `scalar_types`), so
//! a host sees only these and structs.

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
    /// Its type (not a struct).
    pub ty: SlotType,
    /// Its byte offset.
    pub offset: usize,
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

    /// The bytes of one cell of this type: 1 for a bool field, 8 otherwise.
    pub fn field_width(&self) -> usize {
        if *self == SlotType::Bool {
            1
        } else {
            8
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
