//! The value types a node computes with, and compile-time constant values.

use crate::dialect::builder::Builder;
use mlir_sys::MlirType;
use std::fmt;

/// A scalar value type of the node language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// Python `int`: int64 with wrap-around.
    Int,
    /// Python `float`: IEEE double.
    Float,
    /// Python `bool`: `i1` in registers, one byte in memory.
    Bool,
}

impl Ty {
    /// The MLIR type of a value of this type in registers.
    pub fn mlir(self, b: &Builder) -> MlirType {
        match self {
            Ty::Int => b.i64(),
            Ty::Float => b.f64(),
            Ty::Bool => b.i1(),
        }
    }

    /// The type's Python spelling, used in manifests and messages.
    pub fn python_name(self) -> &'static str {
        match self {
            Ty::Int => "int",
            Ty::Float => "float",
            Ty::Bool => "bool",
        }
    }

    /// Whether this is a numeric type (bool counts, as in Python).
    pub fn is_numeric(self) -> bool {
        true
    }

    /// The type of `a op b` for arithmetic: bool promotes to int, int mixed
    /// with float gives float.
    pub fn arith_join(a: Ty, b: Ty) -> Ty {
        if a == Ty::Float || b == Ty::Float {
            Ty::Float
        } else {
            Ty::Int
        }
    }

    /// The common type of two values that meet (branches of a ternary,
    /// `and`/`or` operands, a variable assigned twice).
    pub fn unify(a: Ty, b: Ty) -> Ty {
        if a == b {
            a
        } else {
            Ty::arith_join(a, b)
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.python_name())
    }
}

/// A compile-time constant: a constant parameter, a module-level constant or
/// a `--const` value.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    /// An int.
    Int(i64),
    /// A float.
    Float(f64),
    /// A bool.
    Bool(bool),
}

impl ConstValue {
    /// The constant's type.
    pub fn ty(&self) -> Ty {
        match self {
            ConstValue::Int(_) => Ty::Int,
            ConstValue::Float(_) => Ty::Float,
            ConstValue::Bool(_) => Ty::Bool,
        }
    }

    /// Converts to `ty` as an assignment would (int → float is allowed,
    /// float → int is not).
    pub fn coerce(&self, ty: Ty) -> Option<ConstValue> {
        match (self, ty) {
            (v, t) if v.ty() == t => Some(v.clone()),
            (ConstValue::Int(i), Ty::Float) => Some(ConstValue::Float(*i as f64)),
            (ConstValue::Bool(b), Ty::Float) => Some(ConstValue::Float(*b as i64 as f64)),
            (ConstValue::Bool(b), Ty::Int) => Some(ConstValue::Int(*b as i64)),
            _ => None,
        }
    }

    /// The value as JSON, for manifests.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            ConstValue::Int(i) => (*i).into(),
            ConstValue::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            ConstValue::Bool(b) => (*b).into(),
        }
    }

    /// The raw 8-byte cell a host stores for this value.
    pub fn to_cell(&self) -> u64 {
        match self {
            ConstValue::Int(i) => *i as u64,
            ConstValue::Float(f) => f.to_bits(),
            ConstValue::Bool(b) => *b as u64,
        }
    }
}
