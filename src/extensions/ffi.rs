//! FFI: external C functions a node may call.
//!
//! An extern is declared in the node's source with an `@extern` stub
//! (`frontend/externs.rs`) or registered from Rust with
//! [`CompilationContext::register_extern`]. Either way it is an
//! [`ExternFunction`], and a call lowers the same way:
//!
//! ```text
//! book_mid(b)   ──frontend──▶   func.func private @book_mid(i64) -> f64
//!                               %m = func.call @book_mid(%b) : (i64) -> f64
//! ──backend (transform::extern_attributes)──▶
//!   declare double @book_mid(i64) nounwind memory(read)
//! ```
//! The C ABI: `int` is `int64_t` (LLVM `i64`), `float` is `double`, `bool`
//! is C's `bool` (`_Bool`: LLVM `i1` with `zeroext`, as clang declares it,
//! so a definition linked from clang bitcode has the same type and inlines).
//!
//! A pure extern (the default) is declared `memory(read)` and `nounwind`:
//! it may read any memory but writes none and does not unwind, so LLVM
//! merges repeated calls with the same arguments and may hoist them out of
//! loops. `pure=False` keeps only `nounwind`. Declaring a function pure that
//! writes memory, or one that throws, breaks that contract as it would in C.
//!
//! [`CompilationContext::register_extern`]: crate::CompilationContext::register_extern

use crate::dialect::builder::{type_eq, Builder};
use crate::types::Ty;
use mlir_sys::*;

/// An external C function the node may call.
///
/// ```
/// use cfuncc::{ExternFunction, Ty};
/// // double book_mid(int64_t bid, int64_t ask), merged and hoisted by LLVM:
/// let f = ExternFunction::new("book_mid", &[Ty::Int, Ty::Int], Some(Ty::Float));
/// assert_eq!(f.c_signature(), "double book_mid(int64_t, int64_t)");
/// // void log_tick(double), which writes memory:
/// let g = ExternFunction::new("log_tick", &[Ty::Float], None).pure(false);
/// assert!(!g.pure);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExternFunction {
    /// The name the node calls it by (a Python identifier).
    pub name: String,
    /// The C symbol called; `name` unless set with [`ExternFunction::symbol`].
    pub symbol: String,
    /// Parameter types, in order.
    pub params: Vec<Ty>,
    /// The return type; `None` for a C `void` function, which the node can
    /// call only as a statement.
    pub ret: Option<Ty>,
    /// Declared `memory(read)`: the function writes no memory, so LLVM may
    /// merge and hoist calls. `nounwind` is declared either way.
    pub pure: bool,
    /// When `--link-bitcode` provides the definition, mark it `alwaysinline`
    /// so it inlines into the node.
    pub inline: bool,
    /// The type whose method this is (`book.mid()` calling `book_mid(book)`,
    /// the receiver passed first), or `None` for a plain function. Only
    /// plain functions can be registered today: this is the hook the struct
    /// types (issue 4) use to register their methods.
    pub(crate) receiver: Option<String>,
}

impl ExternFunction {
    /// A pure, inlinable extern whose C symbol is `name`.
    pub fn new(name: &str, params: &[Ty], ret: Option<Ty>) -> Self {
        Self {
            name: name.to_string(),
            symbol: name.to_string(),
            params: params.to_vec(),
            ret,
            pure: true,
            inline: true,
            receiver: None,
        }
    }

    /// Sets whether the function is pure (declared `memory(read)`).
    pub fn pure(mut self, pure: bool) -> Self {
        self.pure = pure;
        self
    }

    /// Sets whether a definition linked from bitcode is forced inline.
    pub fn inline(mut self, inline: bool) -> Self {
        self.inline = inline;
        self
    }

    /// Calls the C symbol `symbol` instead of `name`.
    pub fn symbol(mut self, symbol: &str) -> Self {
        self.symbol = symbol.to_string();
        self
    }

    /// The C prototype: `double book_mid(int64_t, int64_t)`.
    pub fn c_signature(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|t| c_type(*t)).collect();
        format!(
            "{} {}({})",
            self.ret.map_or("void", c_type),
            self.symbol,
            if params.is_empty() {
                "void".to_string()
            } else {
                params.join(", ")
            }
        )
    }

    /// The Python spelling of the call's signature: `book_mid(int, int) -> float`.
    pub fn python_signature(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|t| t.python_name()).collect();
        format!(
            "{}({}) -> {}",
            self.name,
            params.join(", "),
            self.ret.map_or("None", Ty::python_name)
        )
    }

    /// A canonical description of everything that changes the generated
    /// code, for the semantic key.
    pub fn key(&self) -> String {
        format!(
            "{} = {} pure={} inline={} receiver={}",
            self.python_signature(),
            self.c_signature(),
            self.pure,
            self.inline,
            self.receiver.as_deref().unwrap_or("-")
        )
    }

    /// The MLIR function type, `(i64, i64) -> f64`.
    fn mlir_signature(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|t| mlir_type(*t)).collect();
        format!(
            "({}) -> {}",
            params.join(", "),
            self.ret.map_or("()", mlir_type)
        )
    }

    /// Emits the call: declares `func.func private @symbol` in the module
    /// if needed and calls it with `args`, already converted to the
    /// parameter types. Returns the result, or `None` for a `void` function.
    ///
    /// Fails when the module already declares the symbol with another type
    /// (two externs with one C symbol and different signatures).
    pub fn emit_call(&self, b: &Builder, args: &[MlirValue]) -> Result<Option<MlirValue>, String> {
        let sig = self.mlir_signature();
        crate::dialect::declare_function(b, &self.symbol, &sig);
        if let Some(existing) = crate::dialect::function_type(b, &self.symbol) {
            if !type_eq(existing, b.parse_type(&sig)) {
                return Err(format!(
                    "the C symbol '{}' is declared with two different signatures",
                    self.symbol
                ));
            }
        }
        let callee = [("callee", b.sym_attr(&self.symbol))];
        Ok(match self.ret {
            Some(t) => Some(b.v("func.call", args, t.mlir(b), &callee)),
            None => {
                b.op("func.call", args, &[], &callee);
                None
            }
        })
    }
}

/// The C type a value type crosses the ABI as.
pub fn c_type(ty: Ty) -> &'static str {
    match ty {
        Ty::Int => "int64_t",
        Ty::Float => "double",
        Ty::Bool => "bool",
    }
}

fn mlir_type(ty: Ty) -> &'static str {
    match ty {
        Ty::Int => "i64",
        Ty::Float => "f64",
        Ty::Bool => "i1",
    }
}

/// Whether `s` is a C identifier (ASCII letters, digits and `_`, not
/// starting with a digit).
pub fn is_c_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Why `f` cannot be declared, if it cannot: its name must be a Python
/// identifier and its symbol a C identifier outside the names the compiler
/// uses itself (the container runtime's `cfrt_*`).
pub fn check_declaration(f: &ExternFunction) -> Result<(), String> {
    let py_ident = f
        .name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && f.name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !py_ident {
        return Err(format!(
            "extern name '{}' is not a Python identifier",
            f.name
        ));
    }
    if !is_c_identifier(&f.symbol) {
        return Err(format!(
            "extern symbol '{}' is not a C identifier (ASCII letters, digits and _)",
            f.symbol
        ));
    }
    if f.symbol
        .starts_with(crate::passes::lower_containers::RUNTIME_PREFIX)
    {
        return Err(format!(
            "extern symbol '{}': the prefix '{}' is reserved for the container runtime",
            f.symbol,
            crate::passes::lower_containers::RUNTIME_PREFIX
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        let f =
            ExternFunction::new("mid", &[Ty::Int, Ty::Bool], Some(Ty::Float)).symbol("book_mid");
        assert_eq!(f.c_signature(), "double book_mid(int64_t, bool)");
        assert_eq!(f.python_signature(), "mid(int, bool) -> float");
        assert_eq!(f.mlir_signature(), "(i64, i1) -> f64");
        let g = ExternFunction::new("tick", &[], None);
        assert_eq!(g.c_signature(), "void tick(void)");
        assert_eq!(g.mlir_signature(), "() -> ()");
    }

    #[test]
    fn key_changes_with_every_property() {
        let f = ExternFunction::new("f", &[Ty::Int], Some(Ty::Float));
        let variants = [
            f.clone().pure(false),
            f.clone().inline(false),
            f.clone().symbol("g"),
            ExternFunction::new("f", &[Ty::Float], Some(Ty::Float)),
            ExternFunction::new("f", &[Ty::Int], Some(Ty::Int)),
            ExternFunction::new("f", &[Ty::Int], None),
        ];
        for v in variants {
            assert_ne!(f.key(), v.key(), "{v:?}");
        }
    }

    #[test]
    fn declarations_are_checked() {
        let ok = ExternFunction::new("größe", &[], Some(Ty::Int)).symbol("groesse");
        assert!(check_declaration(&ok).is_ok());
        for bad in [
            ExternFunction::new("größe", &[], Some(Ty::Int)),
            ExternFunction::new("a-b", &[], Some(Ty::Int)),
            ExternFunction::new("f", &[], Some(Ty::Int)).symbol("1f"),
            ExternFunction::new("cfrt_list_new", &[], Some(Ty::Int)),
        ] {
            assert!(check_declaration(&bad).is_err(), "{bad:?}");
        }
    }
}
