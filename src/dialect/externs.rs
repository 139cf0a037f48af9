//! Calls to external C functions: the `func.func private` declaration and
//! the `func.call`.

use super::builder::Builder;
use super::ir::Value;
use super::types::ToMlir;
use crate::abi::externs::ExternFunction;
use crate::types::Ty;

/// The MLIR function type of an extern, `(i64, i64) -> f64`.
pub fn mlir_signature(f: &ExternFunction) -> String {
    let params: Vec<&str> = f.params.iter().map(|t| mlir_type(*t)).collect();
    format!(
        "({}) -> {}",
        params.join(", "),
        f.ret.map_or("()", mlir_type)
    )
}

fn mlir_type(ty: Ty) -> &'static str {
    match ty {
        Ty::Int => "i64",
        Ty::Float => "f64",
        Ty::Bool => "i1",
        Ty::Struct(_) => "!llvm.ptr",
        Ty::Scalar(s) => mlir_type(s.repr),
    }
}

/// Emits a call of `f`: declares `func.func private @symbol` in the module
/// if needed and calls it with `args`, already converted to the parameter
/// types. Returns the result, or `None` for a `void` function.
///
/// Fails when the module already declares the symbol with another type
/// (two externs with one C symbol and different signatures).
pub fn emit_call<'c>(
    f: &ExternFunction,
    b: &Builder<'c>,
    args: &[Value<'c>],
) -> Result<Option<Value<'c>>, String> {
    let sig = mlir_signature(f);
    super::declare_function(b, &f.symbol, &sig);
    if let Some(existing) = super::function_type(b, &f.symbol) {
        if existing != b.parse_type(&sig) {
            return Err(format!(
                "the C symbol '{}' is declared with two different signatures",
                f.symbol
            ));
        }
    }
    let callee = [("callee", b.sym_attr(&f.symbol))];
    Ok(match f.ret {
        Some(t) => Some(b.v("func.call", args, t.mlir(b), &callee)),
        None => {
            b.op("func.call", args, &[], &callee);
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        let f =
            ExternFunction::new("mid", &[Ty::Int, Ty::Bool], Some(Ty::Float)).symbol("book_mid");
        assert_eq!(mlir_signature(&f), "(i64, i1) -> f64");
        let g = ExternFunction::new("tick", &[], None);
        assert_eq!(mlir_signature(&g), "() -> ()");
    }
}
