//! The MLIR types of cfuncc's value types.

use super::builder::Builder;
use super::ir::Type;
use crate::types::{CTy, Ty};

/// A value type's MLIR type: `t.mlir(&b)`.
pub trait ToMlir {
    /// The MLIR type.
    fn mlir<'c>(self, b: &Builder<'c>) -> Type<'c>;
}

impl ToMlir for Ty {
    /// The MLIR type of a value of this type in registers.
    fn mlir<'c>(self, b: &Builder<'c>) -> Type<'c> {
        match self {
            Ty::Int => b.i64(),
            Ty::Float => b.f64(),
            Ty::Bool => b.i1(),
            Ty::Struct(_) => b.ptr(),
            Ty::Scalar(s) => s.repr.mlir(b),
        }
    }
}

impl ToMlir for CTy {
    /// The MLIR type, `!cfunc.list<i64>`, `!cfunc.dict<i64, f64>` or
    /// `!cfunc.array<f64, 16 : i64>`.
    fn mlir<'c>(self, b: &Builder<'c>) -> Type<'c> {
        let name = |t: Ty| match t.payload() {
            Ty::Struct(_) => "!llvm.ptr",
            Ty::Float => "f64",
            Ty::Bool => "i1",
            _ => "i64",
        };
        b.parse_type(&match self {
            CTy::List(e) => format!("!cfunc.list<{}>", name(e)),
            CTy::Dict(k, v) => format!("!cfunc.dict<{}, {}>", name(k), name(v)),
            CTy::Array(a) => format!("!cfunc.array<{}, {} : i64>", name(a.elem), a.length),
        })
    }
}
